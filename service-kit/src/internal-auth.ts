import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors.js';

/**
 * Headers by which a trusted internal caller (the gateway, the consent service) talks to a
 * backend. Backends take customer identity and consented accounts from these, never from
 * anything a third party sent.
 */
export const INTERNAL_HEADERS = {
  credential: 'x-bund-internal-credential',
  customerId: 'x-bund-customer-id',
  consentedAccounts: 'x-bund-consented-accounts',
} as const;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Refuses with 401 any request that does not carry one of the `accepted` internal credentials.
 * Compared as fixed-length digests in constant time, so neither length nor content leaks.
 */
export function requireInternalCredential(accepted: readonly string[]): RequestHandler {
  const digests = accepted.map(digest);
  return (req, _res, next) => {
    const given = req.get(INTERNAL_HEADERS.credential);
    const givenDigest = digest(given ?? '');
    // Every comparison runs, so timing does not reveal which credential matched.
    let ok = false;
    for (const expected of digests) ok = timingSafeEqual(expected, givenDigest) || ok;
    if (!given || !ok) {
      next(
        new ApiError(
          401,
          'unauthorized',
          'This API accepts only calls from Bund services with a valid internal credential.',
        ),
      );
      return;
    }
    next();
  };
}
