import type { RequestHandler } from 'express';
import { ApiError, INTERNAL_HEADERS } from '@bund/service-kit';
import type { Logger } from '@bund/service-kit';
import type { GatewayMetrics } from '../gateway-metrics.js';
import { applyConsentWindow, applyFilterPlan } from '../routing/response-filter.js';
import type { FilterPlan } from '../routing/response-filter.js';
import type { Route } from '../routing/route-table.js';
import type { SpecValidators } from '../routing/spec-validators.js';
import { UpstreamError } from '../upstream/backend-client.js';
import type { BackendClient } from '../upstream/backend-client.js';
import { callOf } from './gateway-call.js';

/** FAPI headers a TPP may send that the backend should see; everything else stays here. */
const PASS_THROUGH = [
  'x-fapi-auth-date',
  'x-fapi-customer-ip-address',
  'x-customer-user-agent',
  'accept-language',
];

export interface ProxyOptions {
  backends: ReadonlyMap<string, BackendClient>;
  credential: string;
  validators: SpecValidators;
  /** Response filter plans by route, built at start. */
  filterPlans: ReadonlyMap<Route, FilterPlan | undefined>;
  /** Validate backend responses against the spec (development and test). */
  validateResponses: boolean;
  metrics: GatewayMetrics;
  logger: Logger;
}

function upstreamProblem(error: UpstreamError, backend: BackendClient): ApiError {
  switch (error.failure) {
    case 'timeout':
      return new ApiError(504, 'upstream_timeout', `${error.message}.`);
    case 'server_error':
      return new ApiError(
        502,
        'upstream_error',
        'The backend failed to answer this call; it has been logged.',
      );
    case 'circuit_open':
      // The circuit lets a call through again after its reset time: sooner would be refused.
      return new ApiError(503, 'upstream_unavailable', `${error.message}.`, undefined, {
        'Retry-After': String(Math.max(1, Math.ceil(backend.resetTimeoutMs / 1000))),
      });
    default:
      return new ApiError(
        503,
        'upstream_unavailable',
        `${error.message}; try again shortly.`,
        undefined,
        { 'Retry-After': '5' },
      );
  }
}

/**
 * Step 7: the call to the backend the spec names, at the address configuration gives (nothing
 * the caller sends chooses it), with the internal credential, the customer and the consented
 * accounts; then the answer, checked against the spec and stripped of what the consent does
 * not cover.
 */
export function proxyToBackend(options: ProxyOptions): RequestHandler {
  return async (req, res) => {
    const call = callOf(res);
    const { route, claims, detail } = call;
    const backend = options.backends.get(route.backend);
    if (!backend) throw new Error(`no backend configured for ${route.backend}`);

    const headers: Record<string, string> = {
      accept: 'application/json',
      [INTERNAL_HEADERS.credential]: options.credential,
      [INTERNAL_HEADERS.customerId]: claims!.sub,
      'x-fapi-interaction-id': res.locals.interactionId as string,
    };
    if (detail!.accounts) headers[INTERNAL_HEADERS.consentedAccounts] = detail!.accounts.join(',');
    for (const name of PASS_THROUGH) {
      const value = req.get(name);
      if (value) headers[name] = value;
    }
    const search = new URLSearchParams(call.query).toString();
    const path = `${req.path}${search ? `?${search}` : ''}`;

    let upstream;
    const started = performance.now();
    try {
      upstream = await backend.request({ method: 'GET', path, headers });
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      const failedAfter = performance.now() - started;
      call.upstream = { backend: backend.name, failure: error.failure, durationMs: failedAfter };
      options.metrics.upstreamFailures.inc({ backend: backend.name, failure: error.failure });
      options.logger.warn(
        {
          backend: backend.name,
          operation: route.operationId,
          failure: error.failure,
          err: error.cause ?? error,
        },
        'upstream call failed',
      );
      throw upstreamProblem(error, backend);
    }
    options.metrics.upstreamDuration.observe(
      { backend: backend.name, status: String(upstream.status) },
      upstream.durationMs / 1000,
    );
    call.upstream = {
      backend: backend.name,
      status: upstream.status,
      durationMs: upstream.durationMs,
    };

    let body: unknown;
    try {
      body = JSON.parse(upstream.body.toString('utf8'));
    } catch {
      call.upstream.failure = 'invalid_response';
      options.metrics.upstreamFailures.inc({ backend: backend.name, failure: 'invalid_response' });
      options.logger.error(
        { backend: backend.name, operation: route.operationId, status: upstream.status },
        'backend answered a body that is not JSON',
      );
      throw new ApiError(
        502,
        'upstream_error',
        'The backend answered something that is not JSON; it has been logged.',
      );
    }
    if (options.validateResponses) {
      const problems = options.validators.response(route, body, upstream.status);
      if (problems.length > 0) {
        call.upstream.failure = 'invalid_response';
        options.metrics.upstreamFailures.inc({
          backend: backend.name,
          failure: 'invalid_response',
        });
        options.logger.error(
          {
            backend: backend.name,
            operation: route.operationId,
            status: upstream.status,
            problems,
          },
          'backend response breaks the spec',
        );
        throw new ApiError(
          502,
          'upstream_error',
          'The backend answered something the API specification does not allow; it has been logged.',
        );
      }
    }
    const plan = upstream.status < 300 ? options.filterPlans.get(route) : undefined;
    if (plan) applyFilterPlan(body, plan, call.granted!);
    if (call.consentWindow && upstream.status < 300) applyConsentWindow(body, call.consentWindow);
    // Written directly rather than through res.send: the type, length and caching are known,
    // and express's content negotiation and charset parsing cost every call for nothing.
    const payload = JSON.stringify(body);
    res.writeHead(upstream.status, {
      'content-type': upstream.contentType.startsWith('application/problem+json')
        ? 'application/problem+json; charset=utf-8'
        : 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      'cache-control': 'no-store',
    });
    res.end(payload);
  };
}
