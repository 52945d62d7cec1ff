import type { RequestHandler } from 'express';
import { ApiError } from '@bund/service-kit';
import type { PermissionDefinition } from '@bund/specs';
import { ConsentStatusUnknown } from '../consent/consent-status.js';
import type { ConsentStatusCache } from '../consent/consent-status.js';
import { callOf } from './gateway-call.js';

/** Every permission a set of granted ones amounts to (ReadTransactionsDetail grants …Basic). */
export function expandPermissions(
  granted: readonly string[],
  vocabulary: ReadonlyMap<string, PermissionDefinition>,
): Set<string> {
  const all = new Set<string>();
  const add = (name: string) => {
    if (all.has(name)) return;
    all.add(name);
    for (const implied of vocabulary.get(name)?.implies ?? []) add(implied);
  };
  granted.forEach(add);
  return all;
}

const forbidden = (
  code: 'permission_missing' | 'account_not_consented' | 'enterprise_not_consented',
  detail: string,
) => new ApiError(403, code, detail);

/**
 * Step 4: the consent. Its status comes from the consent service (the cache the change feed
 * keeps, or a lookup), never from the token alone, so a revocation is honoured at once; if the
 * status cannot be known the call is refused. Then the operation's permissions, and the
 * account or enterprise in the path must be one the customer consented to — with the same
 * answer whether or not it exists.
 */
export function requireConsent(
  consents: ConsentStatusCache,
  vocabulary: ReadonlyMap<string, PermissionDefinition>,
): RequestHandler {
  return async (_req, res, next) => {
    const call = callOf(res);
    const { claims, detail, route, params } = call;
    let state;
    try {
      state = await consents.get(claims!.consent_id);
    } catch (error) {
      if (!(error instanceof ConsentStatusUnknown)) throw error;
      call.denial = 'consent';
      throw new ApiError(
        503,
        'consent_status_unknown',
        'The consent’s status cannot be checked right now, so the call is refused; try again shortly.',
        undefined,
        {
          'Retry-After': '2',
        },
      );
    }
    // The token and the consent record must agree on whose consent it is, for which TPP.
    if (!state || state.clientId !== claims!.client_id || state.customerId !== claims!.sub) {
      call.denial = 'consent';
      throw new ApiError(403, 'consent_not_authorised', 'The token’s consent is unknown.');
    }
    if (state.status === 'Revoked') {
      call.denial = 'consent';
      throw new ApiError(
        403,
        'consent_revoked',
        'This consent was revoked, by the customer or by the TPP; ask the customer to authorise again.',
      );
    }
    if (state.status === 'Expired' || Date.parse(state.expirationDateTime) <= Date.now()) {
      call.denial = 'consent';
      throw new ApiError(
        403,
        'consent_expired',
        'This consent has expired; ask the customer to authorise again.',
      );
    }
    if (state.status !== 'Authorised') {
      call.denial = 'consent';
      throw new ApiError(403, 'consent_not_authorised', `This consent is ${state.status}.`);
    }

    const granted = expandPermissions(detail!.permissions, vocabulary);
    call.granted = granted;
    const missing = route.permissions.filter((p) => !granted.has(p));
    if (missing.length > 0) {
      call.denial = 'permission';
      throw forbidden(
        'permission_missing',
        `${route.operationId} needs the permission${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which this consent does not grant.`,
      );
    }
    if (route.accountParam) {
      const account = params[route.accountParam];
      if (!account || !(detail!.accounts ?? []).includes(account)) {
        call.denial = 'account';
        throw forbidden(
          'account_not_consented',
          `The customer has not consented to access this account (${route.accountParam}).`,
        );
      }
    }
    if (route.enterpriseParam) {
      const code = params[route.enterpriseParam];
      const subject = detail!.subject;
      if (subject?.kind !== 'enterprise' || subject.creditCode !== code) {
        call.denial = 'account';
        throw forbidden(
          'enterprise_not_consented',
          `The customer has not consented to share this enterprise's data (${route.enterpriseParam}).`,
        );
      }
    }
    next();
  };
}
