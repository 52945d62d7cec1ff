import {
  MemoryReplayCache,
  createHttpMetrics,
  createLogger,
  createServiceApp,
  finishServiceApp,
  healthRouter,
} from '@bund/service-kit';
import type { DpopReplayCache, HttpMetrics, Logger } from '@bund/service-kit';
import { listOperations, loadApiDocuments, loadPermissions } from '@bund/specs';
import express from 'express';
import type { Express } from 'express';
import { Agent } from 'undici';
import { accessLogFields } from './access-log.js';
import { AccessTokenVerifier } from './auth/access-token-verifier.js';
import { RedisReplayCache } from './auth/redis-replay-cache.js';
import { ConsentStatusCache } from './consent/consent-status.js';
import { DataAccessRecorder } from './data-access/data-access-recorder.js';
import type { DataAccessRecorderOptions } from './data-access/data-access-recorder.js';
import { recordDataAccess } from './data-access/record-data-access.js';
import { developerPortal } from './docs/developer-portal.js';
import { corsPolicy } from './cors-policy.js';
import { GATEWAY_DEFAULTS } from './defaults.js';
import { createGatewayMetrics, replayCacheGauges } from './gateway-metrics.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { InterconnectionProbes, readyProbe } from './health/interconnection-probes.js';
import { TokenBuckets } from './limits/token-buckets.js';
import type { TokenBucketOptions } from './limits/token-buckets.js';
import { constrainToConsent } from './pipeline/constrain-to-consent.js';
import { limitRate } from './pipeline/limit-rate.js';
import { proxyToBackend } from './pipeline/proxy-to-backend.js';
import { requireConsent } from './pipeline/require-consent.js';
import { resolveOperation } from './pipeline/resolve-operation.js';
import { validateRequest } from './pipeline/validate-request.js';
import { verifyAccessToken } from './pipeline/verify-access-token.js';
import { verifyDpop } from './pipeline/verify-dpop.js';
import { buildFilterPlan } from './routing/response-filter.js';
import type { FilterPlan } from './routing/response-filter.js';
import { RouteTable } from './routing/route-table.js';
import type { Route } from './routing/route-table.js';
import { SpecValidators } from './routing/spec-validators.js';
import { statusRouter } from './status/status-page.js';
import { TrafficWindow } from './status/traffic-window.js';
import { BackendClient } from './upstream/backend-client.js';

/** Left out, a setting takes its value from {@link GATEWAY_DEFAULTS}. */
export interface GatewayOptions {
  publicUrl: string;
  consentServiceUrl: string;
  /** Backend origins by the names specs use in `x-backend`: the only places the gateway calls. */
  backends: Record<string, string>;
  credential: string;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
  /** How long a backend's open circuit stays open before one call may try it. */
  circuitResetMs?: number;
  validateResponses?: boolean;
  /** Per TPP client (`client_id`). */
  rateLimit?: TokenBucketOptions;
  /** Time between interconnection probe rounds. */
  probeIntervalMs?: number;
  /** How long one probe may take before it counts as failed. */
  probeTimeoutMs?: number;
  /** Delivery of data-access records to the consent service (interval, batch and queue sizes). */
  dataAccess?: Partial<
    Pick<DataAccessRecorderOptions, 'flushIntervalMs' | 'batchSize' | 'maxQueue' | 'maxBackoffMs'>
  >;
  /** Browser origins whose pages may call the API (CORS); none by default. */
  corsOrigins?: readonly string[];
  /**
   * Redis the replicas share for the DPoP replay check, so that a proof used on one replica
   * is refused on all. Without it the check is in this process's memory: one replica only.
   */
  replayCacheUrl?: string;
  /** Without `replayCacheUrl`: how many live proofs this process remembers before it refuses. */
  replayCacheMaxEntries?: number;
  logger?: Logger;
  logLevel?: string;
}

export interface Gateway {
  /** What TPPs call: the API, the developer portal, health. */
  app: Express;
  /** What operators call, on another port: /metrics, /status, /status.json, health. */
  opsApp: Express;
  logger: Logger;
  httpMetrics: HttpMetrics;
  metrics: GatewayMetrics;
  routes: RouteTable;
  consents: ConsentStatusCache;
  backends: ReadonlyMap<string, BackendClient>;
  /** Queues and delivers the record of every call made under a consent. */
  dataAccess: DataAccessRecorder;
  probes: InterconnectionProbes;
  traffic: TrafficWindow;
  beginShutdown(): void;
  close(): Promise<void>;
}

/** The 200 response schema of a route, for its response filter. */
function successSchema(route: Route): unknown {
  const ok = route.operation.responses['200'] ?? route.operation.responses['201'];
  return ok?.content?.['application/json']?.schema;
}

/**
 * Builds the gateway from the specs: the route table, validators and response filters are
 * compiled here, once, so a call does no spec work beyond its own checks.
 */
export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger ?? createLogger('gateway', options.logLevel ?? 'silent');
  const documents = await loadApiDocuments();
  const entries = documents.flatMap((document) =>
    listOperations([document]).map((entry) => ({ entry, document })),
  );
  const routes = new RouteTable(
    entries.filter(
      ({ entry }) =>
        entry.operation['x-backend'] && entry.operation['x-backend'] in options.backends,
    ),
  );
  const validators = new SpecValidators(routes.routes);
  const filterPlans = new Map<Route, FilterPlan | undefined>(
    routes.routes.map((route) => [route, buildFilterPlan(successSchema(route))]),
  );

  const backends = new Map(
    Object.entries(options.backends).map(([name, origin]) => [
      name,
      new BackendClient({
        name,
        origin,
        connectTimeoutMs: options.connectTimeoutMs ?? GATEWAY_DEFAULTS.connectTimeoutMs,
        responseTimeoutMs: options.responseTimeoutMs ?? GATEWAY_DEFAULTS.responseTimeoutMs,
        resetTimeoutMs: options.circuitResetMs ?? GATEWAY_DEFAULTS.circuitResetMs,
      }),
    ]),
  );
  const verifier = new AccessTokenVerifier({
    issuer: options.consentServiceUrl,
    audience: options.publicUrl,
  });
  const consents = new ConsentStatusCache({
    consentServiceUrl: options.consentServiceUrl,
    credential: options.credential,
    logger,
  });
  consents.start();

  const httpMetrics = createHttpMetrics('gateway');
  const metrics = createGatewayMetrics(httpMetrics.registry, backends);
  const dataAccess = new DataAccessRecorder({
    ...options.dataAccess,
    consentServiceUrl: options.consentServiceUrl,
    credential: options.credential,
    logger,
    registry: httpMetrics.registry,
  });
  let shuttingDown = false;

  const sharedReplayCache = options.replayCacheUrl
    ? new RedisReplayCache({ url: options.replayCacheUrl, logger })
    : undefined;
  let replayCache: DpopReplayCache;
  if (sharedReplayCache) {
    replayCache = sharedReplayCache;
  } else {
    const inMemory = new MemoryReplayCache(
      options.replayCacheMaxEntries ?? GATEWAY_DEFAULTS.replayCacheMaxEntries,
    );
    replayCacheGauges(httpMetrics.registry, inMemory);
    replayCache = inMemory;
  }

  // Probes have their own connections: they must not queue behind (or trip the breaker of)
  // TPP traffic, and they stop with close().
  const probeAgent = new Agent({ keepAliveTimeout: 10_000, connections: 2 });
  const probes = new InterconnectionProbes({
    registry: httpMetrics.registry,
    logger,
    intervalMs: options.probeIntervalMs ?? GATEWAY_DEFAULTS.probeIntervalMs,
    timeoutMs: options.probeTimeoutMs ?? GATEWAY_DEFAULTS.probeTimeoutMs,
    targets: [
      ...Object.entries(options.backends).map(([name, origin]) => ({
        name,
        kind: 'backend' as const,
        probe: readyProbe(origin, probeAgent),
      })),
      {
        name: 'consent-service-jwks',
        kind: 'consent-service',
        // Without the consent service no token and no consent can be checked: no call works.
        required: true,
        probe: () => verifier.warmUp(),
      },
      {
        name: 'consent-service-feed',
        kind: 'consent-service',
        passive: true,
        probe: async () => {
          if (!consents.feedConnected) throw new Error('change feed disconnected');
        },
      },
      ...(sharedReplayCache
        ? [
            {
              name: 'dpop-replay-cache',
              kind: 'cache' as const,
              // Without it no proof can be checked for replay, and no call is let through.
              required: true,
              probe: () => sharedReplayCache.ping(),
            },
          ]
        : []),
    ],
  });
  consents.onFeedChange((connected) =>
    probes.report(
      'consent-service-feed',
      connected,
      connected ? undefined : 'change feed disconnected',
    ),
  );
  probes.start();
  const traffic = new TrafficWindow();

  const readiness = probes.readinessChecks();
  const app = createServiceApp({
    logger,
    metrics: httpMetrics,
    isShuttingDown: () => shuttingDown,
    // From the probes' latest results: a readiness check costs no call to any dependency.
    readiness: readiness.checks,
    degradedBy: readiness.degradedBy,
    // TPPs reach this port: its load balancer needs the status, only operators the reasons
    // (a probe's error names internal addresses). They are on the operator listener.
    showReadinessChecks: false,
    accessLogFields,
    // Metrics name every TPP client and its traffic: operators only, on their own listener.
    serveMetrics: false,
  });
  // Before everything a page may call, so that refusals carry the header too and a page can
  // read why it was refused.
  if (options.corsOrigins?.length) {
    const methods = new Set(routes.routes.map((route) => route.method));
    app.use(corsPolicy(options.corsOrigins, [...methods]));
  }
  // The developer portal: public documentation, outside the TPP call pipeline.
  app.use(
    developerPortal({ publicUrl: options.publicUrl, consentServiceUrl: options.consentServiceUrl }),
  );
  app.use(
    metrics.middleware,
    recordDataAccess(dataAccess),
    traffic.middleware,
    resolveOperation(routes),
    verifyAccessToken(verifier),
    verifyDpop(options.publicUrl, replayCache, logger),
    // After the proof: a leaked token without its key must not spend the TPP's allowance.
    limitRate(new TokenBuckets(options.rateLimit ?? GATEWAY_DEFAULTS.rateLimit)),
    requireConsent(consents, loadPermissions()),
    validateRequest(validators),
    constrainToConsent,
    proxyToBackend({
      backends,
      credential: options.credential,
      validators,
      filterPlans,
      validateResponses: options.validateResponses ?? true,
      metrics,
      logger,
    }),
  );
  finishServiceApp(app, logger);

  // The operators' listener, on its own port: metrics, the status page and health. Nothing a
  // TPP may see, so it stays off the network TPPs reach.
  const opsApp = express();
  opsApp.disable('x-powered-by');
  opsApp.set('etag', false);
  opsApp.use(healthRouter({ ...readiness, isShuttingDown: () => shuttingDown }));
  opsApp.get('/metrics', httpMetrics.handler);
  opsApp.use(statusRouter({ probes, traffic, backends, consents }));
  finishServiceApp(opsApp, logger);
  return {
    app,
    opsApp,
    logger,
    httpMetrics,
    metrics,
    routes,
    consents,
    backends,
    dataAccess,
    probes,
    traffic,
    beginShutdown: () => (shuttingDown = true),
    async close() {
      await probes.close();
      consents.stop();
      await Promise.all([...backends.values()].map((b) => b.close()));
      await probeAgent.destroy();
      await sharedReplayCache?.close();
      // Last: every call has finished, so what is queued now is all there is to deliver.
      await dataAccess.close();
    },
  };
}
