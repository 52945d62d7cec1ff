import type Provider from 'oidc-provider';
// oidc-provider keeps its effective configuration in this internal weak map; reading it is the
// only way to check what the library will actually do (the discovery document omits most of it).
import instance from 'oidc-provider/lib/helpers/weak_cache.js';
import { SIGNING_ALGS } from './signing-keys.js';

/** Raised at start-up when the effective configuration breaks a FAPI 2.0 property. */
export class UnsafeConfiguration extends Error {
  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`refusing to start: ${setting} ${detail}`);
  }
}

interface EffectiveConfiguration {
  responseTypes: string[];
  grantTypes: Set<string>;
  clientAuthMethods: Set<string>;
  rotateRefreshToken: unknown;
  pkce: { required: (ctx: unknown, client: unknown) => boolean };
  ttl: Record<string, unknown>;
  assertJwtClientAuthClaimsAndHeader: (
    ctx: unknown,
    claims: Record<string, unknown>,
    header: Record<string, unknown>,
    client: unknown,
  ) => Promise<void>;
  features: Record<
    string,
    {
      enabled?: boolean;
      allowedPolicy?: (ctx: unknown, client: unknown, token: unknown) => Promise<boolean> | boolean;
      requirePushedAuthorizationRequests?: boolean;
      profile?: unknown;
    }
  >;
  [algList: string]: unknown;
}

const ALG_LISTS = [
  'clientAuthSigningAlgValues',
  'idTokenSigningAlgValues',
  'requestObjectSigningAlgValues',
  'userinfoSigningAlgValues',
  'introspectionSigningAlgValues',
  'authorizationSigningAlgValues',
  'dPoPSigningAlgValues',
];

async function rejects(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return false;
  } catch {
    return true;
  }
}

/** The provider's effective configuration (oidc-provider internals; read-only use intended). */
export function effectiveConfiguration(provider: Provider): Record<string, unknown> {
  return instance(provider).configuration as Record<string, unknown>;
}

/**
 * Reads the provider's effective configuration and throws {@link UnsafeConfiguration},
 * naming the setting, unless every FAPI 2.0 property Bund promises holds. Behaviour is
 * probed (policies are called) rather than trusted from option names.
 */
export async function assertFapiConfiguration(
  provider: Provider,
  clients: readonly { client_id: string }[],
): Promise<void> {
  const conf = instance(provider).configuration as EffectiveConfiguration;
  const issuer = provider.issuer;
  const fail = (setting: string, detail: string): never => {
    throw new UnsafeConfiguration(setting, detail);
  };
  const { features } = conf;

  if (features.devInteractions?.enabled) fail('features.devInteractions', 'must be disabled');
  if (
    !features.pushedAuthorizationRequests?.enabled ||
    !features.pushedAuthorizationRequests.requirePushedAuthorizationRequests
  ) {
    fail('features.pushedAuthorizationRequests.requirePushedAuthorizationRequests', 'must be true');
  }
  if (conf.responseTypes.join(' ') !== 'code')
    fail('responseTypes', `must be ["code"], is ${JSON.stringify(conf.responseTypes)}`);
  for (const grant of conf.grantTypes) {
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grant))
      fail('grant types', `must not include ${grant}`);
  }
  if (!conf.pkce.required(undefined, undefined)) fail('pkce.required', 'must always return true');
  if (!features.dPoP?.enabled) fail('features.dPoP', 'must be enabled');
  if ([...conf.clientAuthMethods].join(' ') !== 'private_key_jwt') {
    fail(
      'clientAuthMethods',
      `must be ["private_key_jwt"], is ${JSON.stringify([...conf.clientAuthMethods])}`,
    );
  }
  for (const list of ALG_LISTS) {
    const algs = (conf[list] as string[] | undefined) ?? [];
    const bad = algs.filter((alg) => !(SIGNING_ALGS as readonly string[]).includes(alg));
    if (bad.length > 0)
      fail(`enabledJWA.${list}`, `must only allow PS256 and ES256, allows ${bad.join(', ')}`);
  }
  if (conf.rotateRefreshToken !== false) fail('rotateRefreshToken', 'must be false');
  const codeTtl = conf.ttl.AuthorizationCode;
  if (typeof codeTtl !== 'number' || codeTtl > 60)
    fail('ttl.AuthorizationCode', 'must be at most 60 seconds');
  if (features.fapi?.enabled !== true) fail('features.fapi', 'must be enabled with profile 2.0');

  // Client assertions: aud must be exactly the issuer string.
  const assertClaims = (aud: unknown) => () =>
    conf.assertJwtClientAuthClaimsAndHeader(
      { oidc: { issuer } },
      { aud, iat: 0, exp: 60 },
      { alg: 'ES256' },
      {},
    );
  if (await rejects(assertClaims(issuer)))
    fail('assertJwtClientAuthClaimsAndHeader', 'must accept aud equal to the issuer');
  for (const aud of [[issuer], `${issuer}/token`]) {
    if (!(await rejects(assertClaims(aud))))
      fail('assertJwtClientAuthClaimsAndHeader', `must refuse aud ${JSON.stringify(aud)}`);
  }

  // Introspection and revocation: a client may only touch its own tokens.
  for (const feature of ['introspection', 'revocation']) {
    const policy = features[feature]?.allowedPolicy;
    if (!features[feature]?.enabled || !policy)
      fail(`features.${feature}`, 'must be enabled with an allowedPolicy');
    const allowedForeign = await Promise.resolve()
      .then(() =>
        policy!({}, { clientId: 'a', clientAuthMethod: 'private_key_jwt' }, { clientId: 'b' }),
      )
      .catch(() => false);
    if (allowedForeign)
      fail(`features.${feature}.allowedPolicy`, "must refuse another client's token");
  }

  // Every registered client: sender-constrained, private_key_jwt, PAR.
  for (const { client_id } of clients) {
    const client = await provider.Client.find(client_id);
    if (!client) fail(`client ${client_id}`, 'is not valid');
    const metadata = client!.metadata();
    if (metadata.dpop_bound_access_tokens !== true)
      fail(`client ${client_id} dpop_bound_access_tokens`, 'must be true');
    if (metadata.token_endpoint_auth_method !== 'private_key_jwt')
      fail(`client ${client_id} token_endpoint_auth_method`, 'must be private_key_jwt');
  }
}
