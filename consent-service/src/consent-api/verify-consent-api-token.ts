import type { RequestHandler, Response } from 'express';
import type Provider from 'oidc-provider';
import {
  ApiError,
  DPOP_ALGORITHMS,
  DpopError,
  accessTokenHash,
  verifyDpopProof,
} from '@bund/service-kit';
import type { DpopReplayCache } from '@bund/service-kit';

export interface ConsentApiTokenOptions {
  provider: Provider;
  /** The issuer: the public base URL the proof's `htu` names. */
  issuer: string;
  /** The consent API's resource indicator: the token's `aud`. */
  resource: string;
  /** The scope a token needs. */
  scope: string;
  replayCache: DpopReplayCache;
}

/** The TPP a verified token belongs to, on `res.locals.tppClientId`. */
export function tppClientId(res: Response): string {
  return res.locals.tppClientId as string;
}

/** RFC 6750 §3 auth-param values must not contain a quote or backslash. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, "'")}"`;

type TokenError = 'invalid_token' | 'invalid_dpop_proof' | 'insufficient_scope';

/** A refusal with its RFC 9449 challenge; without `error` when no credentials were sent (RFC 6750 §3.1). */
function refuse(res: Response, detail: string, error?: TokenError): ApiError {
  const params = [
    ...(error ? [`error=${quoted(error)}`, `error_description=${quoted(detail)}`] : []),
    `algs=${quoted(DPOP_ALGORITHMS.join(' '))}`,
  ];
  res.set('WWW-Authenticate', `DPoP ${params.join(', ')}`);
  // The same codes the gateway answers, so a TPP handles both APIs alike.
  if (error === 'insufficient_scope') return new ApiError(403, 'forbidden', detail);
  return new ApiError(
    401,
    error === 'invalid_dpop_proof' ? 'invalid_dpop_proof' : 'invalid_token',
    detail,
  );
}

const MAX_TOKEN_LENGTH = 512;

/**
 * Admits a TPP to the consent API: `Authorization: DPoP <token>` where the token is a
 * client-credentials access token of this provider, for the consent API, with its scope, bound
 * to a key; and a DPoP proof for this request signed with that key. The token is looked up in
 * process (no introspection call). On success the TPP's client id is on `res.locals`.
 */
export function verifyConsentApiToken(options: ConsentApiTokenOptions): RequestHandler {
  const { provider, issuer, resource, scope, replayCache } = options;
  return async (req, res, next) => {
    const authorization = req.get('authorization');
    if (!authorization) {
      throw refuse(
        res,
        'The consent API needs Authorization: DPoP <access token> and a DPoP proof.',
      );
    }
    const [scheme, token, ...rest] = authorization.split(' ');
    if (scheme?.toLowerCase() !== 'dpop' || !token || rest.length > 0) {
      const bearer = scheme?.toLowerCase() === 'bearer';
      throw refuse(
        res,
        bearer
          ? 'The access token is DPoP-bound: send it as Authorization: DPoP <token>, not Bearer.'
          : 'The Authorization header must be DPoP <access token>.',
        'invalid_token',
      );
    }
    const stored =
      token.length <= MAX_TOKEN_LENGTH ? await provider.ClientCredentials.find(token) : undefined;
    if (!stored || stored.isExpired) {
      throw refuse(res, 'The access token is unknown, expired or revoked.', 'invalid_token');
    }
    const audiences: unknown[] = Array.isArray(stored.aud) ? stored.aud : [stored.aud];
    if (!audiences.includes(resource)) {
      throw refuse(
        res,
        `The access token is not for the consent API (aud ${resource}).`,
        'invalid_token',
      );
    }
    if (!stored.jkt) {
      throw refuse(res, 'The access token is not DPoP-bound.', 'invalid_token');
    }
    if (!stored.clientId || !(await provider.Client.find(stored.clientId))) {
      throw refuse(
        res,
        'The access token belongs to a client that is no longer registered.',
        'invalid_token',
      );
    }
    if (!stored.scopes.has(scope)) {
      throw refuse(res, `The access token lacks the ${scope} scope.`, 'insufficient_scope');
    }
    try {
      await verifyDpopProof(
        {
          proof: req.get('dpop'),
          method: req.method,
          url: `${issuer}${req.originalUrl}`,
          ath: accessTokenHash(token),
          jkt: stored.jkt,
        },
        { replayCache },
      );
    } catch (error) {
      if (!(error instanceof DpopError)) throw error;
      throw refuse(res, `DPoP proof refused: ${error.message}.`, 'invalid_dpop_proof');
    }
    res.locals.tppClientId = stored.clientId;
    next();
  };
}
