import type { RequestHandler } from 'express';
import { ApiError } from '@bund/service-kit';
import type { TokenBuckets } from '../limits/token-buckets.js';
import { callOf } from './gateway-call.js';

/**
 * Step 3b: the TPP's rate limit, one token bucket per `client_id`. It runs after the token and
 * DPoP checks: the client comes from a verified token (a caller cannot spread calls over
 * invented clients), and only the holder of the token's key can spend its allowance.
 */
export function limitRate(buckets: TokenBuckets): RequestHandler {
  return (_req, res, next) => {
    const call = callOf(res);
    const waitMs = buckets.take(call.claims!.client_id);
    if (waitMs > 0) {
      call.denial = 'rate';
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new ApiError(
        429,
        'rate_limited',
        `This client is calling faster than its rate limit allows; try again in ${seconds} s.`,
        undefined,
        { 'Retry-After': String(seconds) },
      );
    }
    next();
  };
}
