import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { outcomeOfStatus } from '@bund/service-kit';
import type { GatewayCall } from '../pipeline/gateway-call.js';
import type { DataAccessRecorder } from './data-access-recorder.js';

/** What the consent service accepts per record (specs/internal/consent-service.yaml). */
const MAX_RESOURCES = 50;
const MAX_RESOURCE_LENGTH = 128;

/**
 * What the call touched: the account or enterprise in its path (as the TPP asked for it, even
 * when refused), else the consented accounts (list operations).
 */
function resourcesOf({ route, params, detail }: GatewayCall): string[] {
  const param = route.accountParam ?? route.enterpriseParam;
  const named = param === undefined ? undefined : params[param];
  const resources = named === undefined ? (detail?.accounts ?? []) : [named];
  return resources
    .filter((resource) => resource.length > 0)
    .slice(0, MAX_RESOURCES)
    .map((resource) => resource.slice(0, MAX_RESOURCE_LENGTH));
}

/**
 * Records every call that got as far as a verified access token and DPoP proof (so it is
 * known whose consent it was made under, and that the TPP made it: a leaked token without its
 * key must not write into the customer's record), whatever its outcome, once its response is
 * sent. Mount before the pipeline; the record is only queued here, never delivered on the
 * request path.
 */
export function recordDataAccess(recorder: DataAccessRecorder): RequestHandler {
  return (_req, res, next) => {
    const started = Date.now();
    res.on('finish', () => {
      const call = res.locals.call as GatewayCall | undefined;
      const outcome = outcomeOfStatus(res.statusCode);
      if (!call?.claims || !call.proofVerified || !outcome) return;
      recorder.record({
        recordId: randomUUID(),
        interactionId: String(res.locals.interactionId ?? ''),
        consentId: call.claims.consent_id,
        clientId: call.claims.client_id,
        operation: call.route.operationId,
        resources: resourcesOf(call),
        status: res.statusCode,
        outcome,
        at: new Date(started).toISOString(),
      });
    });
    next();
  };
}
