import * as client from 'openid-client';
import { importJWK } from 'jose';
import type { JWK } from 'jose';

/**
 * A third-party provider's side of the flow, exactly as a real TPP does it with the certified
 * `openid-client`: private_key_jwt, PAR, PKCE S256, DPoP and authorization_details. Used by the
 * demo command and the tests, so both exercise what TPPs will.
 */
export interface TppClient {
  config: client.Configuration;
  dpop: client.DPoPHandle;
  /** Pushes an authorization request; returns the URL to open and the checks for the callback. */
  pushAuthorizationRequest(request: {
    authorizationDetails: unknown[];
    redirectUri: string;
    scope?: string;
  }): Promise<{
    url: URL;
    checks: { pkceCodeVerifier: string; expectedState: string };
  }>;
  exchangeCode(
    callbackUrl: URL,
    checks: { pkceCodeVerifier: string; expectedState: string },
  ): Promise<client.TokenEndpointResponse>;
  refresh(refreshToken: string): Promise<client.TokenEndpointResponse>;
  /** A DPoP-bound client-credentials token for the consent API (scope `consents`). */
  clientCredentials(): Promise<client.TokenEndpointResponse>;
  /** Calls the consent API (`path` below the issuer) with that token and a fresh DPoP proof. */
  callConsentApi(
    accessToken: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response>;
}

export interface TppOptions {
  issuer: string;
  clientId: string;
  /** The TPP's private signing key (ES256 or PS256) as a JWK with `kid`. */
  privateJwk: JWK;
  /** A DPoP key pair; a fresh one by default. */
  dpopKeyPair?: client.CryptoKeyPair;
}

export async function createTppClient(options: TppOptions): Promise<TppClient> {
  const alg = options.privateJwk.alg ?? 'ES256';
  const key = (await importJWK(options.privateJwk, alg)) as client.CryptoKey;
  const issuer = new URL(options.issuer);
  const config = await client.discovery(
    issuer,
    options.clientId,
    { token_endpoint_auth_signing_alg: alg },
    client.PrivateKeyJwt({ key, kid: options.privateJwk.kid! }),
    // The sandbox runs on http://localhost; a real deployment is https only.
    issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  const base = `${issuer.href.replace(/\/$/, '')}/`;
  const dpop = client.getDPoPHandle(
    config,
    options.dpopKeyPair ?? (await client.randomDPoPKeyPair('ES256')),
  );
  return {
    config,
    dpop,
    async pushAuthorizationRequest({ authorizationDetails, redirectUri, scope }) {
      // The scope that fits the consent asked for, unless the caller chose one.
      const type = (authorizationDetails[0] as { type?: string } | undefined)?.type;
      scope ??= type === 'credit_data_sharing' ? 'openid credit_data' : 'openid accounts';
      const pkceCodeVerifier = client.randomPKCECodeVerifier();
      const expectedState = client.randomState();
      const url = await client.buildAuthorizationUrlWithPAR(
        config,
        {
          redirect_uri: redirectUri,
          scope,
          state: expectedState,
          code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
          code_challenge_method: 'S256',
          authorization_details: JSON.stringify(authorizationDetails),
        },
        { DPoP: dpop },
      );
      return { url, checks: { pkceCodeVerifier, expectedState } };
    },
    exchangeCode: (callbackUrl, checks) =>
      client.authorizationCodeGrant(config, callbackUrl, checks, undefined, { DPoP: dpop }),
    refresh: (refreshToken) =>
      client.refreshTokenGrant(config, refreshToken, undefined, { DPoP: dpop }),
    // The consent API lives below the issuer; its resource indicator is `<issuer>/consents`.
    clientCredentials: () =>
      client.clientCredentialsGrant(
        config,
        { scope: 'consents', resource: new URL('consents', base).href },
        { DPoP: dpop },
      ),
    callConsentApi: (accessToken, method, path, body) =>
      client.fetchProtectedResource(
        config,
        accessToken,
        new URL(path.replace(/^\//, ''), base),
        method,
        body === undefined ? undefined : JSON.stringify(body),
        body === undefined ? undefined : new Headers({ 'content-type': 'application/json' }),
        { DPoP: dpop },
      ),
  };
}
