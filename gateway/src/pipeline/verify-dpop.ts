import type { RequestHandler } from 'express';
import { ApiError, DpopError, verifyDpopProof } from '@bund/service-kit';
import type { DpopReplayCache, Logger } from '@bund/service-kit';
import { callOf } from './gateway-call.js';
import { unauthorized } from './verify-access-token.js';

/** At most one log line per this many ms while the replay check fails: it fails every call. */
const FAILURE_LOG_INTERVAL_MS = 10_000;

/** The replay cache could not answer (as opposed to a proof that failed a check). */
class ReplayCheckUnavailable extends Error {}

/**
 * Step 3: the DPoP proof (RFC 9449): signed by the key the token is bound to, for this method
 * and this URL, fresh, never seen before, and carrying the token's hash. The URL is the
 * configured public base plus the request path, never anything the caller's Host header says.
 * When the replay cache cannot answer (Redis unreachable, or the in-memory cache full of live
 * proofs), the call is refused with 503: a proof that cannot be checked for replay is not
 * accepted.
 */
export function verifyDpop(
  publicBaseUrl: string,
  replayCache: DpopReplayCache,
  logger: Logger,
): RequestHandler {
  const base = publicBaseUrl.replace(/\/$/, '');
  let lastFailureLog = 0;
  // Only the cache's own failures mean "cannot check for replay"; anything else thrown while
  // checking a proof is a bug, and stays a 500.
  const checkedCache: DpopReplayCache = {
    async seen(key, expiresAt) {
      try {
        return await replayCache.seen(key, expiresAt);
      } catch (error) {
        throw new ReplayCheckUnavailable('the DPoP replay cache did not answer', { cause: error });
      }
    },
  };
  return async (req, res, next) => {
    const call = callOf(res);
    const { accessTokenHash: ath, claims } = call;
    // Without them the proof would be checked unbound to any token: fail, never skip.
    if (ath === undefined || claims === undefined) throw new Error('DPoP checked before the token');
    try {
      await verifyDpopProof(
        {
          proof: req.get('dpop'),
          method: req.method,
          url: `${base}${req.path}`,
          ath,
          jkt: claims.cnf.jkt,
        },
        { replayCache: checkedCache },
      );
    } catch (error) {
      if (error instanceof ReplayCheckUnavailable) {
        if (Date.now() - lastFailureLog > FAILURE_LOG_INTERVAL_MS) {
          lastFailureLog = Date.now();
          logger.error({ err: error.cause }, 'DPoP replay check failed; refusing calls with 503');
        }
        throw new ApiError(
          503,
          'service_unavailable',
          'DPoP proofs cannot be checked for replay right now; try again shortly.',
          undefined,
          { 'Retry-After': '1' },
        );
      }
      if (!(error instanceof DpopError)) throw error;
      call.denial = 'dpop';
      throw unauthorized(`${error.message}.`, 'invalid_dpop_proof');
    }
    call.proofVerified = true;
    next();
  };
}
