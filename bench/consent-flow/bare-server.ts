/**
 * Benchmark child, contender B: a bare oidc-provider v9 with its built-in memory adapter and
 * the FAPI settings that drive the cost of a flow exactly as Bund sets them (PAR required,
 * PKCE, DPoP with nonces, private_key_jwt ES256, JWT access tokens through resource
 * indicators, RAR with the same detail type). The interaction is as small as it can be while
 * taking the same HTTP steps as Bund's journey: login page, login, accounts page, accounts,
 * review page, approve. No CSRF tokens, no password hashing, no bank, no consent store.
 */
import { hashPassword, verifyPassword } from '@bund/mock-bank/customers/password-hash';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import Provider, { errors } from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { countAdapterCalls } from './adapter-calls.js';
import { close, listen, timeRoutes } from './listen.js';
import { serveChild } from './protocol.js';
import { newTpp, registration } from './tpp.js';

const GATEWAY = 'http://localhost:8080';
const ALGS = ['PS256', 'ES256'] as const;
/**
 * The bare contender checks the password with the same scrypt hash and cost as the mock bank:
 * a login without a password check would not be the same flow, and scrypt is, by design, the
 * most expensive step of it.
 */
const CUSTOMERS = new Map([
  [
    'zhangwei',
    { accountId: 'cus-0001', passwordHash: await hashPassword(DEMO_PASSWORD, randomBytes(16)) },
  ],
]);

function configuration(jwk: JWK, clients: Configuration['clients']): Configuration {
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure: false };
  return {
    // No `adapter`: oidc-provider's own MemoryAdapter.
    clients,
    jwks: { keys: [jwk] } as Configuration['jwks'],
    cookies: { keys: [randomBytes(32).toString('base64url')], long: cookie, short: cookie },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      id_token_signed_response_alg: 'ES256',
      dpop_bound_access_tokens: true,
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['private_key_jwt'],
    enabledJWA: {
      clientAuthSigningAlgValues: [...ALGS],
      idTokenSigningAlgValues: [...ALGS],
      requestObjectSigningAlgValues: [...ALGS],
      authorizationSigningAlgValues: [...ALGS],
      dPoPSigningAlgValues: [...ALGS],
    },
    scopes: ['openid', 'accounts'],
    claims: { openid: ['sub'] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 300,
      IdToken: 300,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 90 * 86_400,
      RefreshToken: 90 * 86_400,
    },
    rotateRefreshToken: false,
    expiresWithSession: async () => false,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.kind === 'AuthorizationCode',
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
      dPoP: { enabled: true, nonceSecret: randomBytes(32) },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? GATEWAY,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== GATEWAY) throw new errors.InvalidTarget();
          return {
            scope: 'accounts',
            audience: GATEWAY,
            accessTokenTTL: 300,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
      richAuthorizationRequests: {
        enabled: true,
        types: {
          account_information: {
            validate: (_ctx, detail) => {
              if (
                !Array.isArray(detail.permissions) ||
                typeof detail.expirationDateTime !== 'string'
              ) {
                throw new errors.InvalidAuthorizationDetails(
                  'permissions and expirationDateTime are required',
                );
              }
            },
          },
        },
        authorizationDetailsForGrantSource: async (ctx) => ctx.oidc.grant?.rar,
        authorizationDetailsForAccessToken: async (_ctx, _token, source) => source?.rar,
        authorizationDetailsForIntrospection: async (_ctx, token) => token.rar,
      },
    },
  };
}

const page = (title: string, action: string, fields: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><form method="post" action="${action}">${fields}<button>OK</button></form></body></html>`;

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
}

/** The interaction, as the oidc-provider example does it: one route per step. */
function interactions(provider: Provider) {
  /** Accounts the customer chose, by interaction uid, until the approval. */
  const chosen = new Map<string, string[]>();
  return async (
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    step: string | undefined,
  ) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return send(res, 400, 'interaction mismatch');
    if (req.method === 'GET' && step === undefined) {
      if (details.prompt.name === 'login') {
        return send(
          res,
          200,
          page(
            'Log in',
            `/interaction/${uid}/login`,
            '<input name="username"><input name="password" type="password">',
          ),
        );
      }
      const accounts = chosen.get(uid);
      if (!accounts) {
        return send(
          res,
          200,
          page(
            'Choose accounts',
            `/interaction/${uid}/accounts`,
            '<input type="checkbox" name="accounts" value="acc-0001-01">',
          ),
        );
      }
      return send(
        res,
        200,
        page('Review', `/interaction/${uid}/approve`, `<p>${accounts.length} account(s)</p>`),
      );
    }
    if (req.method !== 'POST') return send(res, 405, 'method not allowed');
    const body = await formBody(req);
    if (step === 'login') {
      const customer = CUSTOMERS.get(body.get('username') ?? '');
      if (!customer || !(await verifyPassword(body.get('password') ?? '', customer.passwordHash)))
        return send(res, 401, 'wrong login');
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: customer.accountId } },
        { mergeWithLastSubmission: false },
      );
    }
    if (step === 'accounts') {
      const accounts = body.getAll('accounts');
      if (accounts.length === 0) return send(res, 400, 'choose an account');
      chosen.set(uid, accounts);
      return send(res, 303, '', { location: `/interaction/${uid}` });
    }
    if (step === 'approve') {
      const accounts = chosen.get(uid);
      if (details.prompt.name !== 'consent' || !accounts)
        return send(res, 303, '', { location: `/interaction/${uid}` });
      chosen.delete(uid);
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
      };
      const grant = new provider.Grant({
        accountId: details.session!.accountId,
        clientId: String(details.params.client_id),
      });
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      grant.addResourceScope(GATEWAY, 'accounts');
      const [detail] = JSON.parse(String(details.params.authorization_details)) as Parameters<
        typeof grant.addRar
      >[0][];
      grant.addRar({ ...detail!, accounts });
      const grantId = await grant.save();
      return provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    }
    return send(res, 404, 'not found');
  };
}

await serveChild('bare', async () => {
  const adapterCalls = countAdapterCalls(MemoryAdapter);
  const tpp = await newTpp();
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: 'es256-bench',
    alg: 'ES256',
    use: 'sig',
  };
  const handler = {
    current: (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(503).end(),
  };
  const routes = timeRoutes((req, res) => handler.current(req, res));
  const { server, url: issuer } = await listen(routes.handler);
  const provider = new Provider(issuer, configuration(signingKey, [registration(tpp)]));
  const interaction = interactions(provider);
  const oidc = provider.callback();
  handler.current = (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(\w+))?$/.exec(req.url?.split('?')[0] ?? '');
    if (!match) return void oidc(req, res);
    interaction(req, res, match[1]!, match[2]).catch((error: unknown) => {
      const name = error instanceof errors.OIDCProviderError ? error.error : 'server_error';
      if (!res.headersSent) send(res, 500, `${name}: ${(error as Error).message}`);
    });
  };
  return {
    info: { url: issuer, tpp },
    reset: () => {
      adapterCalls.reset();
      routes.reset();
    },
    adapterCalls: adapterCalls.counts,
    routes: routes.times,
    extra: () => ({}),
    close: () => close(server),
  };
});
