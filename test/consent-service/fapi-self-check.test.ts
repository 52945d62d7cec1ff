import assert from 'node:assert/strict';
import {
  assertFapiConfiguration,
  effectiveConfiguration,
  UnsafeConfiguration,
} from '@bund/consent-service/oidc/self-check';
import { ConsentStack } from '../support/consent-stack.js';

/*
 * The consent service refuses to start when its effective configuration breaks a FAPI 2.0
 * property. Each case weakens one setting of a real provider and expects the check to name it.
 */
describe('FAPI 2.0 start-up self-check', () => {
  let stack: ConsentStack;
  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start();
  });
  after(async () => stack?.stop());

  it('passes for the configuration Bund ships', async () => {
    await assertFapiConfiguration(stack.service.provider, []);
  });

  type Conf = Record<string, unknown> & {
    features: Record<string, Record<string, unknown>>;
    ttl: Record<string, unknown>;
  };
  const weakenings: [string, (conf: Conf) => void, RegExp][] = [
    ['refresh token rotation', (c) => (c.rotateRefreshToken = true), /rotateRefreshToken/],
    [
      'PAR no longer required',
      (c) => (c.features.pushedAuthorizationRequests!.requirePushedAuthorizationRequests = false),
      /requirePushedAuthorizationRequests/,
    ],
    [
      'a 10-minute authorization code',
      (c) => (c.ttl.AuthorizationCode = 600),
      /ttl\.AuthorizationCode/,
    ],
    [
      'client_secret_basic allowed',
      (c) => (c.clientAuthMethods = new Set(['private_key_jwt', 'client_secret_basic'])),
      /clientAuthMethods/,
    ],
    [
      'RS256 for ID tokens',
      (c) => (c.idTokenSigningAlgValues = ['ES256', 'RS256']),
      /idTokenSigningAlgValues/,
    ],
    [
      'any client may introspect any token',
      (c) => (c.features.introspection!.allowedPolicy = () => true),
      /introspection\.allowedPolicy/,
    ],
    [
      'assertion aud not checked',
      (c) => (c.assertJwtClientAuthClaimsAndHeader = async () => undefined),
      /assertJwtClientAuthClaimsAndHeader/,
    ],
    ['implicit flow', (c) => (c.responseTypes = ['code', 'code id_token']), /responseTypes/],
    ['PKCE optional', (c) => (c.pkce = { required: () => false }), /pkce\.required/],
  ];

  for (const [name, weaken, setting] of weakenings) {
    it(`refuses to start with ${name}, naming the setting`, async () => {
      const conf = effectiveConfiguration(stack.service.provider) as Conf;
      const saved = structuredClone({
        rotateRefreshToken: conf.rotateRefreshToken,
        codeTtl: conf.ttl.AuthorizationCode,
      });
      const originals = {
        par: conf.features.pushedAuthorizationRequests!.requirePushedAuthorizationRequests,
        clientAuthMethods: conf.clientAuthMethods,
        idAlgs: conf.idTokenSigningAlgValues,
        policy: conf.features.introspection!.allowedPolicy,
        assertion: conf.assertJwtClientAuthClaimsAndHeader,
        responseTypes: conf.responseTypes,
        pkce: conf.pkce,
      };
      weaken(conf);
      try {
        await assert.rejects(
          assertFapiConfiguration(stack.service.provider, []),
          (error: unknown) => {
            assert.ok(error instanceof UnsafeConfiguration);
            assert.match(error.message, setting);
            return true;
          },
        );
      } finally {
        conf.rotateRefreshToken = saved.rotateRefreshToken;
        conf.ttl.AuthorizationCode = saved.codeTtl;
        conf.features.pushedAuthorizationRequests!.requirePushedAuthorizationRequests =
          originals.par;
        conf.clientAuthMethods = originals.clientAuthMethods;
        conf.idTokenSigningAlgValues = originals.idAlgs;
        conf.features.introspection!.allowedPolicy = originals.policy;
        conf.assertJwtClientAuthClaimsAndHeader = originals.assertion;
        conf.responseTypes = originals.responseTypes;
        conf.pkce = originals.pkce;
      }
      await assertFapiConfiguration(stack.service.provider, []);
    });
  }
});
