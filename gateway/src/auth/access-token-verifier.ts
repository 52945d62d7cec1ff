import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { accessTokenHash } from '@bund/service-kit';

/** One granted authorization detail, as the consent service writes it into the token. */
export interface GrantedDetail {
  type: 'account_information' | 'credit_data_sharing';
  consent_id: string;
  permissions: string[];
  expirationDateTime: string;
  accounts?: string[];
  transactionFromDateTime?: string;
  transactionToDateTime?: string;
  subject?: { kind: 'enterprise'; creditCode: string } | { kind: 'individual' };
}

/** The claims Bund relies on, checked. */
export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  client_id: string;
  consent_id: string;
  scope?: string;
  cnf: { jkt: string };
  authorization_details: GrantedDetail[];
  exp: number;
}

/** Why a token was refused; the text goes into `WWW-Authenticate`. */
export class InvalidAccessToken extends Error {}

/** The consent service could not be reached to learn its keys: we cannot judge, so refuse. */
export class KeysUnavailable extends Error {}

const ALGORITHMS = ['PS256', 'ES256'];
const CACHE_LIMIT = 10_000;

export interface AccessTokenVerifierOptions {
  issuer: string;
  /** The gateway's resource URL: the token's required `aud`. */
  audience: string;
  /** How long a JWKS fetch may take. */
  timeoutMs?: number;
  /** Least time between two JWKS fetches triggered by an unknown `kid`. */
  refetchCooldownMs?: number;
}

/**
 * Verifies access tokens locally against the consent service's JWKS (found through its
 * discovery document, cached, refetched on an unknown `kid` at most once per cooldown). A
 * verified token is remembered by its hash until it expires, so a TPP's repeated calls cost a
 * map lookup, not a signature check.
 */
export class AccessTokenVerifier {
  private keys?: Promise<ReturnType<typeof createRemoteJWKSet>>;
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(private readonly options: AccessTokenVerifierOptions) {}

  private jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.keys ??= (async () => {
      const response = await fetch(`${this.options.issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000),
      });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      const { jwks_uri: jwksUri, issuer } = (await response.json()) as {
        jwks_uri?: string;
        issuer?: string;
      };
      if (issuer !== this.options.issuer || !jwksUri)
        throw new Error('discovery document does not match the configured issuer');
      // Keys only ever come from the configured issuer's origin, whatever a token's header says.
      if (new URL(jwksUri).origin !== new URL(this.options.issuer).origin)
        throw new Error('jwks_uri is not on the issuer');
      return createRemoteJWKSet(new URL(jwksUri), {
        timeoutDuration: this.options.timeoutMs ?? 2000,
        cooldownDuration: this.options.refetchCooldownMs ?? 30_000,
        cacheMaxAge: 10 * 60_000,
      });
    })();
    // A failed discovery is retried on the next call rather than remembered.
    this.keys.catch(() => (this.keys = undefined));
    return this.keys;
  }

  /** Fetches the keys now (at start-up and by the health probe); rejects if unreachable. */
  async warmUp(): Promise<void> {
    const jwks = await this.jwks();
    await jwks.reload();
  }

  /**
   * The verified claims of `token`, with its hash (service-kit's `accessTokenHash`: the cache
   * key here, and the `ath` its DPoP proofs carry); throws {@link InvalidAccessToken} or
   * {@link KeysUnavailable}.
   */
  async verify(token: string): Promise<{ claims: AccessTokenClaims; hash: string }> {
    const hash = accessTokenHash(token);
    const cached = this.verified.get(hash);
    const now = Date.now() / 1000;
    if (cached && cached.exp > now) return { claims: cached, hash };
    if (cached) this.verified.delete(hash);

    let jwks;
    try {
      jwks = await this.jwks();
    } catch (error) {
      throw new KeysUnavailable(
        `the consent service's keys are unavailable: ${(error as Error).message}`,
        { cause: error },
      );
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        typ: 'at+jwt',
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'iat', 'sub', 'client_id', 'jti'],
      }));
    } catch (error) {
      if (
        error instanceof joseErrors.JWKSTimeout ||
        (error instanceof Error && /fetch|network|ECONNREFUSED/i.test(error.message))
      ) {
        throw new KeysUnavailable("the consent service's keys are unavailable", { cause: error });
      }
      throw new InvalidAccessToken(describe(error), { cause: error });
    }
    const claims = payload as AccessTokenClaims;
    // Present is not enough (jose checks only that): they key rate limits, metrics and
    // consent lookups, so a token from a misconfigured issuer is refused, not half-used.
    if (typeof claims.sub !== 'string' || typeof claims.client_id !== 'string')
      throw new InvalidAccessToken('the access token names no customer (sub) or TPP (client_id)');
    if (typeof claims.cnf?.jkt !== 'string')
      throw new InvalidAccessToken('the access token is not DPoP-bound (no cnf.jkt)');
    if (
      typeof claims.consent_id !== 'string' ||
      !Array.isArray(claims.authorization_details) ||
      claims.authorization_details.length !== 1
    ) {
      throw new InvalidAccessToken('the access token carries no consent');
    }
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(hash, claims);
    return { claims, hash };
  }
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the access token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `the access token's ${error.claim} claim is not acceptable`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'the access token signature is invalid';
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return 'the access token is signed with an unknown key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return 'the access token is signed with an algorithm that is not allowed';
  return 'the access token is malformed or invalid';
}
