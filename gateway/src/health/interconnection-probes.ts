import type { Logger, ReadinessCheck } from '@bund/service-kit';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { request } from 'undici';
import type { Dispatcher } from 'undici';

/** One dependency the gateway watches. */
export interface ProbeTarget {
  /**
   * The `target` label: `mock-bank`, `data-exchange`, `consent-service-jwks`,
   * `consent-service-feed`, and `dpop-replay-cache` when replicas share one in Redis.
   */
  name: string;
  kind: 'backend' | 'consent-service' | 'cache';
  /** Resolves when the target is healthy, rejects saying why not; aborted at the probe timeout. */
  probe(signal: AbortSignal): Promise<void>;
  /**
   * A passive target reports a state the gateway already follows (the change feed's
   * connection): it has no latency of its own, so none is exported for it.
   */
  passive?: boolean;
  /**
   * Every call needs this target (the consent service's keys): while it is down the gateway
   * is not ready. Any other target down leaves it ready but degraded.
   */
  required?: boolean;
}

/** The latest word on one target. */
export interface ProbeState {
  target: string;
  kind: ProbeTarget['kind'];
  up: boolean;
  /** When the last probe ended (ms since the epoch); absent before the first. */
  checkedAt?: number;
  /** How long the last probe took (absent for passive targets). */
  latencyMs?: number;
  /** Why the target is down. */
  error?: string;
  /** Probes failed in a row. */
  consecutiveFailures: number;
  /** When `up` last changed (ms since the epoch). */
  since: number;
}

export interface InterconnectionProbeOptions {
  targets: readonly ProbeTarget[];
  registry: Registry;
  logger: Logger;
  /** Time between the end of one round of probes and the start of the next. */
  intervalMs: number;
  /** How long one probe may take before it counts as failed. */
  timeoutMs: number;
}

/**
 * Probes every interconnection on a fixed interval and keeps the latest state of each, so
 * `/health/ready`, the status page and the `bund_interconnection_*` metrics answer from memory
 * instead of calling every dependency on every scrape. A round starts only after the previous
 * one ended, so a slow dependency never piles up probes.
 */
export class InterconnectionProbes {
  private readonly states = new Map<string, ProbeState>();
  private readonly up: Gauge<'target' | 'kind'>;
  private readonly duration: Gauge<'target' | 'kind'>;
  private readonly failures: Counter<'target' | 'kind'>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private round?: Promise<void>;
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: InterconnectionProbeOptions) {
    const registers = [options.registry];
    this.up = new Gauge({
      name: 'bund_interconnection_up',
      help: 'Whether the last probe of an interconnection succeeded (1) or not (0)',
      labelNames: ['target', 'kind'] as const,
      registers,
    });
    this.duration = new Gauge({
      name: 'bund_interconnection_probe_duration_seconds',
      help: 'How long the last probe of an interconnection took',
      labelNames: ['target', 'kind'] as const,
      registers,
    });
    this.failures = new Counter({
      name: 'bund_interconnection_probe_failures_total',
      help: 'Probes of an interconnection that failed',
      labelNames: ['target', 'kind'] as const,
      registers,
    });
    const now = Date.now();
    for (const target of options.targets) {
      this.states.set(target.name, {
        target: target.name,
        kind: target.kind,
        up: false,
        error: 'not probed yet',
        consecutiveFailures: 0,
        since: now,
      });
      // Every series exists from the start, so alerts and rate() see the first failure.
      const labels = { target: target.name, kind: target.kind };
      this.up.set(labels, 0);
      this.failures.inc(labels, 0);
    }
  }

  /** Runs a first round now, then one every interval until {@link close}. */
  start(): void {
    const loop = async () => {
      this.round = this.probeAll();
      await this.round;
      if (this.stopped) return;
      this.timer = setTimeout(() => void loop(), this.options.intervalMs);
      this.timer.unref();
    };
    void loop();
  }

  /** Probes every target once, now. */
  async probeAll(): Promise<void> {
    await Promise.all(this.options.targets.map((target) => this.probe(target)));
  }

  /** The latest state of every target, in the order they were given. */
  list(): ProbeState[] {
    return this.options.targets.map((target) => ({ ...this.states.get(target.name)! }));
  }

  get(target: string): ProbeState | undefined {
    const state = this.states.get(target);
    return state && { ...state };
  }

  /**
   * Readiness checks answered from the latest probe results (cheap: no call is made), one per
   * target, each failing with the reason its target is down: the required targets' in
   * `checks`, the others' in `degradedBy`. A backend that is down for one replica is down for
   * all of them; were it required, every replica would leave the load balancer at once, and
   * TPPs would lose the APIs that still work and get the balancer's bare error instead of the
   * gateway's 503 with Retry-After for the rest.
   */
  readinessChecks(): {
    checks: Record<string, ReadinessCheck>;
    degradedBy: Record<string, ReadinessCheck>;
  } {
    const checkOf = (target: ProbeTarget): [string, ReadinessCheck] => [
      target.name,
      async () => {
        const state = this.states.get(target.name)!;
        if (!state.up) throw new Error(state.error ?? 'down');
      },
    ];
    const { targets } = this.options;
    return {
      checks: Object.fromEntries(targets.filter((t) => t.required).map(checkOf)),
      degradedBy: Object.fromEntries(targets.filter((t) => !t.required).map(checkOf)),
    };
  }

  /** Records a state learnt outside a probe round (a passive target's change). */
  report(target: string, up: boolean, error?: string): void {
    if (this.stopped || !this.states.has(target)) return;
    this.record(target, up, undefined, error);
  }

  /** Stops probing: the next round is cancelled and probes under way are aborted. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const controller of this.inFlight) controller.abort(new Error('probes stopped'));
    await this.round;
  }

  private async probe(target: ProbeTarget): Promise<void> {
    const { timeoutMs } = this.options;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    ).unref();
    // A probe that ignores its signal still ends at the timeout.
    const aborted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
        once: true,
      }),
    );
    const started = performance.now();
    let error: string | undefined;
    try {
      await Promise.race([target.probe(controller.signal), aborted]);
    } catch (failure) {
      error = describe(failure);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
    if (this.stopped) return;
    const latencyMs = target.passive ? undefined : performance.now() - started;
    this.record(target.name, error === undefined, latencyMs, error);
  }

  private record(target: string, up: boolean, latencyMs?: number, error?: string) {
    const state = this.states.get(target)!;
    const now = Date.now();
    if (up !== state.up) {
      if (up) this.options.logger.info({ target }, 'interconnection up');
      else this.options.logger.warn({ target, reason: error }, 'interconnection down');
      state.since = now;
    }
    state.up = up;
    state.checkedAt = now;
    state.error = up ? undefined : (error ?? 'down');
    state.consecutiveFailures = up ? 0 : state.consecutiveFailures + 1;
    const labels = { target, kind: state.kind };
    if (latencyMs !== undefined) {
      state.latencyMs = latencyMs;
      this.duration.set(labels, latencyMs / 1000);
    }
    this.up.set(labels, up ? 1 : 0);
    if (!up) this.failures.inc(labels);
  }
}

/** A short reason for an operator: the error's code and message, never a stack. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${typeof code === 'string' ? `${code} ` : ''}${error.message}${cause}`;
}

/**
 * A probe of a service's `GET /health/ready`: up only on 200, so a backend that is shutting
 * down or has lost its database counts as down.
 */
export function readyProbe(origin: string, dispatcher: Dispatcher): ProbeTarget['probe'] {
  return async (signal) => {
    const response = await request(`${origin}/health/ready`, { dispatcher, signal });
    await response.body.dump();
    if (response.statusCode !== 200)
      throw new Error(`/health/ready answered ${response.statusCode}`);
  };
}
