import express from 'express';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { accessLog } from './access-log.js';
import type { AccessLogFields } from './access-log.js';
import { notFoundHandler, problemHandler } from './errors.js';
import { healthRouter } from './health.js';
import type { ReadinessCheck } from './health.js';
import { interactionId } from './interaction-id.js';
import type { HttpMetrics } from './metrics.js';

export interface ServiceAppOptions {
  logger: Logger;
  metrics: HttpMetrics;
  readiness: Record<string, ReadinessCheck>;
  /** Checks `/health/ready` reports that only make it say `degraded`, not unready. */
  degradedBy?: Record<string, ReadinessCheck>;
  /**
   * The error guide problem bodies' `type` points into: the gateway's `/docs/errors` by
   * default, relative. A service TPPs call on another origin gives the gateway's absolute URL.
   */
  errorGuide?: string;
  /** `/health/ready` names each check and why it fails; off where third parties can ask. */
  showReadinessChecks?: boolean;
  /** Set by the server on shutdown so `/health/ready` turns 503 while requests drain. */
  isShuttingDown?: () => boolean;
  /**
   * Fields the service adds to its one access-log line per request, read when the response
   * ends (so what the service learned about the call is known). Return only what is safe to
   * log: never credentials, tokens or full account numbers.
   */
  accessLogFields?: AccessLogFields;
  /**
   * Paths whose successful answers are logged at debug, not info: public documents that
   * pollers fetch every few seconds (the gateway probes the consent service's JWKS every 5 s),
   * which would bury the traffic the log is for. Their errors are logged as any other.
   */
  quietWhenOk?: readonly string[];
  /** Serve `/metrics` here; false when the service has a separate operator listener. */
  serveMetrics?: boolean;
}

/**
 * The parts every Bund service shares, in order: metrics (so refused calls are counted),
 * interaction id, access log, health and metrics endpoints. The caller mounts its routes and
 * then calls {@link finishServiceApp}.
 */
export function createServiceApp({
  logger,
  metrics,
  readiness,
  degradedBy,
  showReadinessChecks,
  errorGuide,
  isShuttingDown = () => false,
  accessLogFields,
  quietWhenOk = [],
  serveMetrics = true,
}: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (errorGuide) app.locals.errorGuide = errorGuide;
  app.use(metrics.middleware);
  app.use(interactionId);
  app.use(accessLog(logger, accessLogFields, new Set(quietWhenOk)));
  app.use(
    healthRouter({
      checks: readiness,
      degradedBy,
      isShuttingDown,
      showChecks: showReadinessChecks,
    }),
  );
  if (serveMetrics) app.get('/metrics', metrics.handler);
  return app;
}

/** Adds the 404 and problem+json error handlers; call after the service's own routes. */
export function finishServiceApp(app: Express, logger: Logger): Express {
  app.use(notFoundHandler);
  app.use(problemHandler(logger));
  return app;
}
