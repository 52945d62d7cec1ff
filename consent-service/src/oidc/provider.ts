import Provider, { errors } from 'oidc-provider';
import type { ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Knex } from '@bund/service-kit';
import { KnexAdapter } from './knex-adapter.js';
import { SIGNING_ALGS } from './signing-keys.js';
import type { AuthorizationDetailTypes } from './authorization-details.js';
import { renderOidcError } from './error-page.js';
import type { Pages } from '../views/render.js';

/** Resource indicators of the APIs Bund issues tokens for. */
export interface Resources {
  /** The gateway: audience of the JWT access tokens that carry a consent. */
  gateway: string;
  /** The TPP consent API of this service: audience of client-credentials tokens. */
  consentApi: string;
}

export interface ProviderOptions {
  issuer: string;
  resources: Resources;
  accessTokenTtlSeconds: number;
  refreshTokenMaxTtlSeconds: number;
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  /** Secure cookies (the issuer is https). */
  secureCookies: boolean;
  /** 32 bytes, the same on every replica: DPoP nonces are derived from it. */
  dpopNonceSecret: Buffer;
  clients: ClientMetadata[];
  db: Knex;
  authorizationDetailTypes: AuthorizationDetailTypes;
  /** Called when the provider records an OAuth error (for metrics). */
  onOAuthError?: (code: string) => void;
  /** The customer pages: errors the provider shows the customer itself use their error page. */
  pages: Pages;
}

/** The scopes of each resource: account data, credit data, and the consent API. */
export const RESOURCE_SCOPES = {
  gateway: ['accounts', 'credit_data'],
  consentApi: ['consents'],
} as const;

const ALGS = [...SIGNING_ALGS];

/** Seconds from now until an ISO time, at least 1 (oidc-provider wants a positive TTL). */
function secondsUntil(iso: string | undefined, fallback: number): number {
  if (!iso) return fallback;
  return Math.max(1, Math.floor((Date.parse(iso) - Date.now()) / 1000));
}

/** The latest expiry among a grant's authorization details. */
function consentExpiry(rar: unknown): string | undefined {
  if (!Array.isArray(rar)) return undefined;
  const expiries = rar
    .map((d: { expirationDateTime?: string }) => d.expirationDateTime)
    .filter((e): e is string => typeof e === 'string');
  return expiries.sort().at(-1);
}

/**
 * The authorization server. FAPI 2.0 Security Profile behaviour is set property by property
 * (the `fapi` flag alone enforces only a few of them); `assertFapiConfiguration` checks the
 * result at start-up.
 */
export function createProvider(options: ProviderOptions): Provider {
  const { issuer, resources } = options;
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: options.secureCookies };
  const configuration: Configuration = {
    adapter: (name: string) => new KnexAdapter(options.db, name),
    clients: options.clients,
    jwks: options.jwks as Configuration['jwks'],
    cookies: { keys: options.cookieKeys, long: cookieOptions, short: cookieOptions },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      id_token_signed_response_alg: 'ES256',
      dpop_bound_access_tokens: true,
    },
    responseTypes: ['code'],
    // S256 is the only PKCE method oidc-provider v9 implements; requiring PKCE refuses `plain` and none.
    pkce: { required: () => true },
    clientAuthMethods: ['private_key_jwt'],
    enabledJWA: {
      clientAuthSigningAlgValues: ALGS,
      idTokenSigningAlgValues: ALGS,
      requestObjectSigningAlgValues: ALGS,
      userinfoSigningAlgValues: ALGS,
      introspectionSigningAlgValues: ALGS,
      authorizationSigningAlgValues: ALGS,
      dPoPSigningAlgValues: ALGS,
    },
    scopes: ['openid', ...RESOURCE_SCOPES.gateway, ...RESOURCE_SCOPES.consentApi],
    claims: { openid: ['sub'] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    // The assertion's aud must be exactly the issuer identifier (a string, not an array or an
    // endpoint URL), and an assertion may live 5 minutes at most.
    assertJwtClientAuthClaimsAndHeader: async (ctx, claims) => {
      if (claims.aud !== ctx.oidc.issuer) {
        throw new errors.InvalidClientAuth(
          'the client assertion aud must be the issuer identifier',
        );
      }
      if (
        typeof claims.iat === 'number' &&
        typeof claims.exp === 'number' &&
        claims.exp - claims.iat > 300
      ) {
        throw new errors.InvalidClientAuth(
          'the client assertion must not live longer than 300 seconds',
        );
      }
    },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: () => options.accessTokenTtlSeconds,
      ClientCredentials: () => options.accessTokenTtlSeconds,
      IdToken: 300,
      Interaction: 3600,
      Session: 24 * 3600,
      // A grant is a consent: it lives exactly as long as the consent.
      Grant: (_ctx, grant) =>
        secondsUntil(consentExpiry(grant.rar), options.refreshTokenMaxTtlSeconds),
      // A refresh token never outlives its consent.
      RefreshToken: (ctx) => {
        const grant = (ctx as KoaContextWithOIDC | undefined)?.oidc?.entities?.Grant;
        return Math.min(
          options.refreshTokenMaxTtlSeconds,
          secondsUntil(consentExpiry(grant?.rar), options.refreshTokenMaxTtlSeconds),
        );
      },
    },
    rotateRefreshToken: false,
    // Tokens belong to the consent, not to the customer's browser session.
    expiresWithSession: async () => false,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.kind === 'AuthorizationCode',
    // One grant per consent: never reuse (and widen) a grant the browser session holds.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    extraTokenClaims: async (_ctx, token) =>
      'grantId' in token && token.grantId ? { consent_id: token.grantId } : undefined,
    features: {
      devInteractions: { enabled: false },
      fapi: { enabled: true, profile: '2.0' },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
      dPoP: { enabled: true, nonceSecret: options.dpopNonceSecret },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx, _client, oneOf) =>
          oneOf ??
          (ctx.oidc.params?.grant_type === 'client_credentials'
            ? resources.consentApi
            : resources.gateway),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource === resources.gateway) {
            return {
              scope: RESOURCE_SCOPES.gateway.join(' '),
              audience: resources.gateway,
              accessTokenTTL: options.accessTokenTtlSeconds,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'ES256' } },
            };
          }
          if (resource === resources.consentApi) {
            return {
              scope: RESOURCE_SCOPES.consentApi.join(' '),
              audience: resources.consentApi,
              accessTokenTTL: options.accessTokenTtlSeconds,
              accessTokenFormat: 'opaque',
            };
          }
          throw new errors.InvalidTarget();
        },
      },
      richAuthorizationRequests: {
        enabled: true,
        types: options.authorizationDetailTypes,
        // The code, and every token after it, carries what the customer granted (with the
        // chosen accounts), never what the TPP asked for.
        authorizationDetailsForGrantSource: async (ctx) => ctx.oidc.grant?.rar,
        authorizationDetailsForAccessToken: async (_ctx, _token, source) => source?.rar,
        authorizationDetailsForIntrospection: async (_ctx, token) => token.rar,
      },
    },
    // A TPP revoking its own token at the revocation endpoint ends that token, not the customer's
    // consent; every other grant revocation (e.g. a replayed code) still takes the whole grant.
    revokeGrantPolicy: async (ctx) => ctx.oidc.route !== 'revocation',
    // The customer meets these errors (an expired link above all): a Bund page, not the default.
    renderError: renderOidcError(options.pages, options.secureCookies),
  };
  const provider = new Provider(issuer, configuration);
  const count = (_ctx: unknown, error: Error & { error?: string }) =>
    options.onOAuthError?.(error.error ?? 'server_error');
  provider.on('authorization.error', count);
  provider.on('grant.error', count);
  provider.on('pushed_authorization_request.error', count);
  provider.on('introspection.error', count);
  provider.on('revocation.error', count);
  provider.on('server_error', count);
  return provider;
}
