import type { Request, RequestHandler, Response } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  duration: Histogram<'route' | 'method' | 'status'>;
  /** Measures every request, refused ones included; mount it first. */
  middleware: RequestHandler;
  /** Serves the registry in Prometheus text format. */
  handler: RequestHandler;
}

/**
 * The route a request is counted under: the operationId a service set (the gateway's OpenAPI
 * operation, oidc-provider's route name on the consent service), else the matched route
 * template. Never the raw URL, which would give every account id its own time series.
 */
function routeLabel(req: Request, res: Response): string {
  const operationId = res.locals.operationId as string | undefined;
  if (operationId) return operationId;
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return 'unmatched';
}

/**
 * Builds a registry of its own for one service (so tests can build several apps in one
 * process) with default process metrics plus request count and duration.
 */
export function createHttpMetrics(service: string): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const labels = {
        route: routeLabel(req, res),
        method: req.method,
        status: String(res.statusCode),
      };
      end(labels);
      requests.inc(labels);
    });
    next();
  };
  const handler: RequestHandler = async (_req, res) => {
    res.set('Content-Type', registry.contentType).send(await registry.metrics());
  };
  return { registry, requests, duration, middleware, handler };
}
