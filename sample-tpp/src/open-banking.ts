/**
 * Every call this app makes to the bank, in the order a connection needs them. This is the file
 * to read first: the rest of the app is web pages around it.
 *
 *   1. discover the bank's authorization server                       → createBankClient
 *   2. push the authorization request (PAR + PKCE + DPoP + private_key_jwt,
 *      with authorization_details saying what we ask for)              → startAuthorization
 *   3. the customer decides at the bank; their browser comes back to our callback,
 *      where we exchange the code for DPoP-bound tokens                → finishAuthorization
 *   4. read data through the gateway with the token and a fresh DPoP proof → readGateway
 *   5. refresh the access token with the refresh token                → refresh
 *   6. ask the bank why a connection ended; end it ourselves           → consentStatus, endConsent
 */
import * as oidc from 'openid-client';
import { importJWK } from 'jose';
import type { JWK } from 'jose';

/** What we hold for one connection. Server-side only: never in a page, cookie or log. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
  /** The bank's consent behind these tokens. */
  consentId: string;
  /** What the customer granted: the accounts they chose, or whose credit data. */
  granted: GrantedDetail;
}

/** The `authorization_details` entry the bank returns with the tokens (RFC 9396). */
export interface GrantedDetail {
  type: string;
  consent_id: string;
  permissions: string[];
  expirationDateTime?: string;
  accounts?: string[];
  subject?: { kind: 'enterprise'; creditCode: string } | { kind: 'individual' };
}

/** The checks we keep between pushing the request and the customer's return (step 2 → 3). */
export interface PendingAuthorization {
  pkceCodeVerifier: string;
  expectedState: string;
}

/** One gateway answer: its status and JSON body (data, or an RFC 9457 problem). */
export interface GatewayAnswer {
  status: number;
  body: { data?: unknown; code?: string; detail?: string };
  /** From `Retry-After` (sent with 429 and 503), when it gives seconds. */
  retryAfterSeconds?: number;
}

export interface BankClient {
  /** A DPoP key pair and handle: one per customer session; its tokens are bound to the key. */
  newDpop(): Promise<oidc.DPoPHandle>;
  startAuthorization(
    dpop: oidc.DPoPHandle,
    request: { redirectUri: string; scope: string; authorizationDetails: unknown[] },
  ): Promise<{ url: URL; pending: PendingAuthorization }>;
  finishAuthorization(
    dpop: oidc.DPoPHandle,
    callbackUrl: URL,
    pending: PendingAuthorization,
  ): Promise<Tokens>;
  refresh(dpop: oidc.DPoPHandle, tokens: Tokens): Promise<Tokens>;
  readGateway(dpop: oidc.DPoPHandle, tokens: Tokens, path: string): Promise<GatewayAnswer>;
  consentStatus(dpop: oidc.DPoPHandle, consentId: string): Promise<string | undefined>;
  endConsent(dpop: oidc.DPoPHandle, consentId: string): Promise<void>;
}

export interface BankClientOptions {
  /** The bank's issuer, e.g. http://localhost:3000. */
  issuer: string;
  /** The bank's API gateway, e.g. http://localhost:8080. */
  gatewayUrl: string;
  clientId: string;
  /** Our private signing key (ES256 or PS256 JWK with `kid`); the bank holds the public half. */
  privateJwk: JWK;
}

/** Turns a token response into {@link Tokens}; the bank says what was granted in it. */
function toTokens(response: oidc.TokenEndpointResponse, previous?: Tokens): Tokens {
  const granted =
    (response.authorization_details?.[0] as GrantedDetail | undefined) ?? previous?.granted;
  if (!granted) throw new Error('the token response carries no authorization_details');
  return {
    accessToken: response.access_token,
    // The bank does not rotate refresh tokens; keep the one we have if none is sent.
    refreshToken: response.refresh_token ?? previous?.refreshToken ?? '',
    expiresAt: Date.now() + (response.expires_in ?? 60) * 1000,
    consentId: granted.consent_id,
    granted,
  };
}

/** Step 1: discovery, and how we authenticate to the bank (private_key_jwt). */
export async function createBankClient(options: BankClientOptions): Promise<BankClient> {
  const alg = options.privateJwk.alg ?? 'ES256';
  const key = (await importJWK(options.privateJwk, alg)) as oidc.CryptoKey;
  const issuer = new URL(options.issuer);
  const config = await oidc.discovery(
    issuer,
    options.clientId,
    { token_endpoint_auth_signing_alg: alg },
    oidc.PrivateKeyJwt({ key, kid: options.privateJwk.kid! }),
    // The sandbox runs on http://localhost; a real bank is https only.
    issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  const consentApi = new URL('consents', `${issuer.href.replace(/\/$/, '')}/`);

  /** A client-credentials token for the bank's consent API (our own, not a customer's). */
  async function consentApiToken(dpop: oidc.DPoPHandle): Promise<string> {
    const response = await oidc.clientCredentialsGrant(
      config,
      { scope: 'consents', resource: consentApi.href },
      { DPoP: dpop },
    );
    return response.access_token;
  }

  return {
    newDpop: async () => oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256')),

    // Step 2: the request goes to the bank directly (PAR); the browser only carries its handle.
    async startAuthorization(dpop, { redirectUri, scope, authorizationDetails }) {
      const pending = {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: oidc.randomState(),
      };
      const url = await oidc.buildAuthorizationUrlWithPAR(
        config,
        {
          redirect_uri: redirectUri,
          scope,
          state: pending.expectedState,
          code_challenge: await oidc.calculatePKCECodeChallenge(pending.pkceCodeVerifier),
          code_challenge_method: 'S256',
          authorization_details: JSON.stringify(authorizationDetails),
          // Always ask the customer to log in: the person at the keyboard decides, not a
          // session someone else left at the bank.
          prompt: 'login',
        },
        { DPoP: dpop },
      );
      return { url, pending };
    },

    // Step 3: openid-client checks state, iss and PKCE; a refusal throws
    // AuthorizationResponseError with error "access_denied".
    async finishAuthorization(dpop, callbackUrl, pending) {
      const response = await oidc.authorizationCodeGrant(config, callbackUrl, pending, undefined, {
        DPoP: dpop,
      });
      return toTokens(response);
    },

    // Step 5: a revoked or expired consent answers ResponseBodyError "invalid_grant".
    async refresh(dpop, tokens) {
      const response = await oidc.refreshTokenGrant(config, tokens.refreshToken, undefined, {
        DPoP: dpop,
      });
      return toTokens(response, tokens);
    },

    // Step 4: `Authorization: DPoP <token>` plus a DPoP proof made for this exact call.
    async readGateway(dpop, tokens, path) {
      let response: Response;
      try {
        response = await oidc.fetchProtectedResource(
          config,
          tokens.accessToken,
          new URL(path, options.gatewayUrl),
          'GET',
          undefined,
          undefined,
          { DPoP: dpop },
        );
      } catch (error) {
        // A 401 with a `WWW-Authenticate: DPoP error="invalid_token"` challenge is thrown.
        if (error instanceof oidc.WWWAuthenticateChallengeError)
          return { status: 401, body: { code: 'invalid_token' } };
        throw error;
      }
      const body = (await response.json().catch(() => ({}))) as GatewayAnswer['body'];
      const retryAfterSeconds = Number(response.headers.get('retry-after')) || undefined;
      return { status: response.status, body, retryAfterSeconds };
    },

    // Step 6: the consent API says whether the customer revoked it or it expired.
    async consentStatus(dpop, consentId) {
      const response = await oidc.fetchProtectedResource(
        config,
        await consentApiToken(dpop),
        new URL(`${consentApi.href}/${encodeURIComponent(consentId)}`),
        'GET',
        undefined,
        undefined,
        { DPoP: dpop },
      );
      if (!response.ok) return undefined;
      return ((await response.json()) as { data: { status: string } }).data.status;
    },

    // 204 also when the consent had already ended; 404: the bank no longer knows it. Both
    // mean it is over; anything else throws, and the consent may still be live.
    async endConsent(dpop, consentId) {
      const response = await oidc.fetchProtectedResource(
        config,
        await consentApiToken(dpop),
        new URL(`${consentApi.href}/${encodeURIComponent(consentId)}`),
        'DELETE',
        undefined,
        undefined,
        { DPoP: dpop },
      );
      if (response.status !== 204 && response.status !== 404)
        throw new Error(`ending the consent answered ${response.status}`);
    },
  };
}
