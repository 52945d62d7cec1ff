import {
  MemoryReplayCache,
  createHttpMetrics,
  createLogger,
  createServiceApp,
  finishServiceApp,
} from '@bund/service-kit';
import type { HttpMetrics, Logger } from '@bund/service-kit';
import { listOperations, loadApiDocuments, loadPermissions } from '@bund/specs';
import type { Express } from 'express';
import { request } from 'undici';
import { AccessTokenVerifier } from './auth/access-token-verifier.js';
import { ConsentStatusCache } from './consent/consent-status.js';
import { createGatewayMetrics } from './gateway-metrics.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { constrainToConsent } from './pipeline/constrain-to-consent.js';
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
import { BackendClient } from './upstream/backend-client.js';

export interface GatewayOptions {
  publicUrl: string;
  consentServiceUrl: string;
  /** Backend origins by the names specs use in `x-backend`: the only places the gateway calls. */
  backends: Record<string, string>;
  credential: string;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
  validateResponses?: boolean;
  logger?: Logger;
  logLevel?: string;
}

export interface Gateway {
  app: Express;
  logger: Logger;
  httpMetrics: HttpMetrics;
  metrics: GatewayMetrics;
  routes: RouteTable;
  consents: ConsentStatusCache;
  backends: ReadonlyMap<string, BackendClient>;
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
        connectTimeoutMs: options.connectTimeoutMs ?? 1000,
        responseTimeoutMs: options.responseTimeoutMs ?? 5000,
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
  let shuttingDown = false;
  const live = (origin: string) => async () => {
    const response = await request(`${origin}/health/live`, {
      headersTimeout: 1000,
      bodyTimeout: 1000,
    });
    await response.body.dump();
    if (response.statusCode !== 200) throw new Error(`answered ${response.statusCode}`);
  };
  const app = createServiceApp({
    logger,
    metrics: httpMetrics,
    isShuttingDown: () => shuttingDown,
    readiness: {
      'consent-service': () => verifier.warmUp(),
      ...Object.fromEntries(
        Object.entries(options.backends).map(([name, origin]) => [name, live(origin)]),
      ),
    },
  });
  app.use(
    metrics.middleware,
    resolveOperation(routes),
    verifyAccessToken(verifier),
    verifyDpop(options.publicUrl, new MemoryReplayCache()),
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
  return {
    app,
    logger,
    httpMetrics,
    metrics,
    routes,
    consents,
    backends,
    beginShutdown: () => (shuttingDown = true),
    async close() {
      consents.stop();
      await Promise.all([...backends.values()].map((b) => b.close()));
    },
  };
}
