import type { RequestHandler } from 'express';
import { ApiError } from '@bund/service-kit';
import { InvalidAccessToken, KeysUnavailable } from '../auth/access-token-verifier.js';
import type { AccessTokenVerifier } from '../auth/access-token-verifier.js';
import { callOf } from './gateway-call.js';

const ALGS = 'algs="ES256 PS256"';

/**
 * `detail` as an RFC 6750 §3 `error_description`: printable ASCII without `"` or `\`. Details
 * can quote what a caller put in its proof (`htm`, `htu`); anything else there would make the
 * header invalid, and Node would refuse to send the answer at all.
 */
function errorDescription(detail: string): string {
  return detail.replaceAll('"', "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?');
}

/** A 401 with the RFC 6750 / RFC 9449 challenge. */
export function unauthorized(
  reason: string,
  error?: 'invalid_token' | 'invalid_dpop_proof',
): ApiError {
  // The verifiers' reasons start in lower case (they are also parts of other messages); a
  // problem's detail is a sentence, like every other the gateway sends.
  const detail = reason.charAt(0).toUpperCase() + reason.slice(1);
  const challenge = error
    ? `DPoP error="${error}", error_description="${errorDescription(detail)}", ${ALGS}`
    : `DPoP ${ALGS}`;
  return new ApiError(401, error ?? 'invalid_token', detail, undefined, {
    'WWW-Authenticate': challenge,
  });
}

/**
 * Step 2: the access token. Only `Authorization: DPoP <token>` is accepted: Bund's tokens are
 * all sender-constrained, so one presented as Bearer is refused rather than downgraded.
 */
export function verifyAccessToken(verifier: AccessTokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const call = callOf(res);
    const header = req.get('authorization');
    const match = header ? /^(\S+) +(\S+)$/.exec(header) : null;
    if (!header || !match) {
      call.denial = 'token';
      throw unauthorized(
        'This API needs an access token: send Authorization: DPoP <token> with a DPoP proof.',
      );
    }
    const [, scheme, token] = match;
    if (scheme!.toLowerCase() !== 'dpop') {
      call.denial = 'token';
      throw unauthorized(
        'Access tokens are DPoP-bound: use the DPoP authorization scheme, not ' + scheme + '.',
        'invalid_token',
      );
    }
    try {
      // The hash is the verifier's cache key and the `ath` the DPoP proof must carry.
      ({ claims: call.claims, hash: call.accessTokenHash } = await verifier.verify(token!));
    } catch (error) {
      if (error instanceof KeysUnavailable) {
        throw new ApiError(
          503,
          'service_unavailable',
          'Access tokens cannot be checked right now; try again shortly.',
          undefined,
          { 'Retry-After': '5' },
        );
      }
      if (error instanceof InvalidAccessToken) {
        call.denial = 'token';
        throw unauthorized(`${error.message}.`, 'invalid_token');
      }
      throw error;
    }
    call.detail = call.claims.authorization_details[0];
    next();
  };
}
