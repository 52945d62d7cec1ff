import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { MemoryReplayCache } from '@bund/service-kit';
import { DENIAL_REASONS } from './pipeline/gateway-call.js';
import type { GatewayCall } from './pipeline/gateway-call.js';
import { UPSTREAM_FAILURES } from './upstream/backend-client.js';
import type { BackendClient } from './upstream/backend-client.js';

/** The gateway's own metrics: what operators watch to see every interconnection's health. */
export interface GatewayMetrics {
  requests: Counter<'operation' | 'status' | 'client'>;
  duration: Histogram<'operation'>;
  denials: Counter<'reason'>;
  upstreamDuration: Histogram<'backend' | 'status'>;
  upstreamFailures: Counter<'backend' | 'failure'>;
  /** Counts and times every call, refused ones included; mount before the pipeline. */
  middleware: RequestHandler;
}

/** The statuses the gateway answers a TPP when it or a backend fails. */
const SERVER_ERRORS = ['500', '502', '503', '504'];

export function createGatewayMetrics(
  registry: Registry,
  backends: ReadonlyMap<string, BackendClient>,
): GatewayMetrics {
  const registers = [registry];
  const requests = new Counter({
    name: 'bund_gateway_requests_total',
    help: 'TPP calls answered, by operation, status and TPP client',
    labelNames: ['operation', 'status', 'client'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'bund_gateway_request_duration_seconds',
    help: 'Time to answer a TPP call, by operation',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const denials = new Counter({
    name: 'bund_gateway_denials_total',
    help: 'TPP calls refused, by reason (token, dpop, consent, permission, account, rate, request)',
    labelNames: ['reason'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'bund_upstream_request_duration_seconds',
    help: 'Backend call time, by backend and status',
    labelNames: ['backend', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const upstreamFailures = new Counter({
    name: 'bund_upstream_failures_total',
    help: 'Backend calls that failed, by backend and kind (unavailable, timeout, circuit_open, server_error, invalid_response)',
    labelNames: ['backend', 'failure'] as const,
    registers,
  });
  // Every series exists from the start at 0, so rate() and increase() see the first denial or
  // failure instead of a series that appears already at 1.
  for (const reason of DENIAL_REASONS) denials.inc({ reason }, 0);
  for (const backend of backends.keys()) {
    for (const failure of [...UPSTREAM_FAILURES, 'invalid_response'])
      upstreamFailures.inc({ backend, failure }, 0);
  }
  new Gauge({
    name: 'bund_upstream_circuit_state',
    help: 'Circuit breaker state by backend: 0 closed, 1 half open, 2 open',
    labelNames: ['backend'] as const,
    registers,
    collect() {
      for (const [name, client] of backends)
        this.set({ backend: name }, { closed: 0, half_open: 1, open: 2 }[client.circuitState]);
    },
  });
  // A TPP's first call of an operation creates its 5xx series at 0, so that rate() counts the
  // first server error instead of a series that appears already at 1 (the 5xx ratio and its
  // alert would miss sporadic errors). Bounded: operations from the specs, registered clients.
  const withErrorSeries = new Set<string>();
  const middleware: RequestHandler = (_req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const call = res.locals.call as GatewayCall | undefined;
      const operation = call?.route.operationId ?? 'unmatched';
      end({ operation });
      const client = call?.claims?.client_id ?? 'unknown';
      const pair = `${operation} ${client}`;
      if (!withErrorSeries.has(pair)) {
        withErrorSeries.add(pair);
        for (const status of SERVER_ERRORS) requests.inc({ operation, status, client }, 0);
      }
      requests.inc({ operation, status: String(res.statusCode), client });
      if (call?.denial) denials.inc({ reason: call.denial });
    });
    next();
  };
  return { requests, duration, denials, upstreamDuration, upstreamFailures, middleware };
}

/**
 * How full this process's DPoP replay cache is (without Redis): when full of live proofs it
 * refuses every call, so operators need to see it coming.
 */
export function replayCacheGauges(registry: Registry, cache: MemoryReplayCache): void {
  new Gauge({
    name: 'bund_gateway_dpop_replay_cache_entries',
    help: 'DPoP proofs this gateway remembers in memory, until their window ends',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
  new Gauge({
    name: 'bund_gateway_dpop_replay_cache_capacity',
    help: 'Proofs the in-memory DPoP replay cache holds before the gateway refuses calls (503)',
    registers: [registry],
  }).set(cache.maxEntries);
}
