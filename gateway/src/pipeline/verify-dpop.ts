import type { RequestHandler } from 'express';
import { DpopError, verifyDpopProof } from '@bund/service-kit';
import type { DpopReplayCache } from '@bund/service-kit';
import { callOf } from './gateway-call.js';
import { unauthorized } from './verify-access-token.js';

/**
 * Step 3: the DPoP proof (RFC 9449): signed by the key the token is bound to, for this method
 * and this URL, fresh, never seen before, and carrying the token's hash. The URL is the
 * configured public base plus the request path, never anything the caller's Host header says.
 */
export function verifyDpop(publicBaseUrl: string, replayCache: DpopReplayCache): RequestHandler {
  const base = publicBaseUrl.replace(/\/$/, '');
  return async (req, res, next) => {
    const call = callOf(res);
    try {
      await verifyDpopProof(
        {
          proof: req.get('dpop'),
          method: req.method,
          url: `${base}${req.path}`,
          accessToken: call.accessToken!,
          jkt: call.claims!.cnf.jkt,
        },
        { replayCache },
      );
    } catch (error) {
      if (!(error instanceof DpopError)) throw error;
      call.denial = 'dpop';
      throw unauthorized(`${error.message}.`, 'invalid_dpop_proof');
    }
    call.proofVerified = true;
    next();
  };
}
