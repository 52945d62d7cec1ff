import type { Request, Response } from 'express';
import type { AccessLogValue } from '@bund/service-kit';
import type { GatewayCall } from './pipeline/gateway-call.js';

/**
 * What the gateway adds to the access-log line service-kit writes for every request (which
 * already has `req.id` — the `x-fapi-interaction-id` — method, path without query, `res.status`
 * and `responseTime` in ms). An allow-list of what the pipeline learnt, so nothing else of
 * the call can reach a log: never the token, the DPoP proof, a header or a body.
 */
export function accessLogFields(_req: Request, res: Response): Record<string, AccessLogValue> {
  const call = res.locals.call as GatewayCall | undefined;
  const fields: Record<string, AccessLogValue> = {};
  if (!call) return fields;
  fields.operationId = call.route.operationId;
  // From the verified token only: an unverified token's claims are the caller's say-so.
  if (call.claims) {
    fields.clientId = call.claims.client_id;
    fields.consentId = call.claims.consent_id;
  }
  if (call.denial) fields.denial = call.denial;
  if (call.upstream) {
    fields.backend = call.upstream.backend;
    fields.upstreamMs = Math.round(call.upstream.durationMs * 10) / 10;
    if (call.upstream.status !== undefined) fields.upstreamStatus = call.upstream.status;
    if (call.upstream.failure) fields.upstreamFailure = call.upstream.failure;
  }
  return fields;
}
