import type { RequestHandler } from 'express';
import type { GatewayCall, UpstreamOutcome } from '../pipeline/gateway-call.js';

const MINUTE_MS = 60_000;
/** Minutes kept: the current one and the four before it. */
const MINUTES = 5;
/**
 * Latency buckets grow by 20 % from 0.1 ms to past a minute, so a quantile read from them is
 * within about 10 % at any scale, in a fixed 80 counters per minute whatever the traffic.
 */
const SMALLEST_MS = 0.1;
const GROWTH = 1.2;
const BUCKETS = 80;

interface MinuteSlot {
  minute: number;
  calls: number;
  errors: number;
  latency: Uint32Array;
}

/** One backend's traffic over the last few minutes, as the status page shows it. */
export interface TrafficSummary {
  /** Seconds the figures cover: up to five minutes, less just after start. */
  windowSeconds: number;
  calls: number;
  /** Calls per second over the window. */
  perSecond: number;
  /** Share of calls that failed (unreachable, timeout, open circuit, 5xx, invalid answer), 0–1. */
  errorRate: number;
  /** Median and 99th percentile backend latency, in ms; absent without calls. */
  p50Ms?: number;
  p99Ms?: number;
}

function bucketOf(ms: number): number {
  if (!(ms > SMALLEST_MS)) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / SMALLEST_MS) / Math.log(GROWTH)));
}

/** The geometric middle of a bucket: the estimate with the least relative error. */
function bucketValue(index: number): number {
  if (index === 0) return SMALLEST_MS;
  return SMALLEST_MS * GROWTH ** (index - 0.5);
}

/**
 * Per-backend call counts, errors and latency distribution in a ring of per-minute slots,
 * fed by the proxy step's outcomes. Memory is fixed per backend; nothing runs between calls.
 */
export class TrafficWindow {
  private readonly rings = new Map<string, (MinuteSlot | undefined)[]>();
  private readonly startedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  record(outcome: UpstreamOutcome): void {
    const minute = Math.floor(this.now() / MINUTE_MS);
    let ring = this.rings.get(outcome.backend);
    if (!ring) this.rings.set(outcome.backend, (ring = new Array(MINUTES).fill(undefined)));
    let slot = ring[minute % MINUTES];
    if (!slot || slot.minute !== minute) {
      slot = { minute, calls: 0, errors: 0, latency: new Uint32Array(BUCKETS) };
      ring[minute % MINUTES] = slot;
    }
    slot.calls += 1;
    if (outcome.failure) slot.errors += 1;
    slot.latency[bucketOf(outcome.durationMs)]! += 1;
  }

  summary(backend: string): TrafficSummary {
    const now = this.now();
    const minute = Math.floor(now / MINUTE_MS);
    const from = Math.max(this.startedAt, (minute - MINUTES + 1) * MINUTE_MS);
    const windowSeconds = Math.max(1, (now - from) / 1000);
    const slots = (this.rings.get(backend) ?? []).filter(
      (slot): slot is MinuteSlot => slot !== undefined && minute - slot.minute < MINUTES,
    );
    const calls = slots.reduce((sum, slot) => sum + slot.calls, 0);
    const errors = slots.reduce((sum, slot) => sum + slot.errors, 0);
    const summary: TrafficSummary = {
      windowSeconds: Math.round(windowSeconds),
      calls,
      perSecond: calls / windowSeconds,
      errorRate: calls > 0 ? errors / calls : 0,
    };
    if (calls === 0) return summary;
    const merged = new Uint32Array(BUCKETS);
    for (const slot of slots) for (let i = 0; i < BUCKETS; i += 1) merged[i]! += slot.latency[i]!;
    const quantile = (q: number) => {
      const rank = Math.max(1, Math.ceil(q * calls));
      let seen = 0;
      for (let i = 0; i < BUCKETS; i += 1) {
        seen += merged[i]!;
        if (seen >= rank) return bucketValue(i);
      }
      return bucketValue(BUCKETS - 1);
    };
    return { ...summary, p50Ms: quantile(0.5), p99Ms: quantile(0.99) };
  }

  /**
   * Records each call's backend outcome once the response is done; mount before the pipeline.
   * Calls refused before the proxy step reached no backend and are not counted here.
   */
  readonly middleware: RequestHandler = (_req, res, next) => {
    res.on('close', () => {
      const upstream = (res.locals.call as GatewayCall | undefined)?.upstream;
      if (upstream) this.record(upstream);
    });
    next();
  };
}
