import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import type { TppClient } from '@bund/consent-service/demo/tpp-client';
import { ACCOUNT_INFORMATION, authorize, inDays } from '../support/authorize.js';
import { Browser } from '../support/browser.js';
import { ConsentStack, GATEWAY_URL } from '../support/consent-stack.js';

/** The OAuth error code of a failed openid-client call. */
async function oauthError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const { error: code } = error as { error?: string };
    if (code) return code;
    const cause = (error as { cause?: { error?: string } | { parameters?: { error?: string } }[] })
      .cause;
    if (Array.isArray(cause) && cause[0]?.parameters?.error) return cause[0].parameters.error;
    if (cause && !Array.isArray(cause) && cause.error) return cause.error;
    throw error;
  }
  assert.fail('expected an OAuth error');
}

describe('Authorising a TPP: PAR → login → choose accounts → approve → token', () => {
  let stack: ConsentStack;
  let tpp: TppClient;
  let tppB: TppClient;

  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start();
    tpp = await createTppClient({
      issuer: stack.issuer,
      clientId: stack.tpps.a.clientId,
      privateJwk: stack.tpps.a.privateJwk,
    });
    tppB = await createTppClient({
      issuer: stack.issuer,
      clientId: stack.tpps.b.clientId,
      privateJwk: stack.tpps.b.privateJwk,
    });
  });
  after(async () => stack?.stop());

  it('issues a DPoP-bound JWT access token carrying exactly the chosen accounts and the consent id', async () => {
    const { callback, checks } = await authorize(
      tpp,
      stack.tpps.a.redirectUri,
      [ACCOUNT_INFORMATION],
      { accounts: ['acc-0001-01', 'acc-0001-03'] },
    );
    assert.equal(
      callback.searchParams.get('iss'),
      stack.issuer,
      'RFC 9207 iss in the authorization response',
    );
    const tokens = await tpp.exchangeCode(callback, checks);
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
    assert.ok(Number(tokens.expires_in) <= 600);
    const header = decodeProtectedHeader(tokens.access_token);
    assert.equal(header.typ, 'at+jwt');
    assert.ok(['ES256', 'PS256'].includes(String(header.alg)));
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.iss, stack.issuer);
    assert.equal(claims.aud, GATEWAY_URL);
    assert.equal(claims.sub, 'cus-0001');
    assert.equal(claims.client_id, 'tpp-a');
    assert.match(String(claims.scope), /\baccounts\b/);
    assert.ok((claims.cnf as { jkt?: string }).jkt, 'sender-constrained with cnf.jkt');
    const [detail] = claims.authorization_details as Record<string, unknown>[];
    assert.equal(claims.consent_id, detail!.consent_id);
    assert.deepEqual(detail!.accounts, ['acc-0001-01', 'acc-0001-03']);
    assert.deepEqual(detail!.permissions, ACCOUNT_INFORMATION.permissions);

    const consent = await stack.service.consents.store.find(String(claims.consent_id));
    assert.equal(consent?.status, 'Authorised');
    assert.equal(
      ((await stack.service.db('consents').select('id')) as unknown[]).length,
      1,
      'one journey, one consent',
    );
    assert.deepEqual(consent?.accounts, ['acc-0001-01', 'acc-0001-03']);
    assert.deepEqual(
      (await stack.service.consents.store.history(consent!.id)).map((e) => [
        e.toStatus,
        e.reason,
        e.actor,
      ]),
      [
        ['AwaitingAuthorisation', 'created', 'tpp'],
        ['Authorised', 'customer_authorised', 'customer'],
      ],
    );

    // Refresh: the same refresh token (not rotated), a new access token for the same consent.
    const refreshed = await tpp.refresh(tokens.refresh_token!);
    assert.equal(refreshed.refresh_token ?? tokens.refresh_token, tokens.refresh_token);
    assert.equal(decodeJwt(refreshed.access_token).consent_id, claims.consent_id);

    // Introspection: the TPP sees its own refresh token active; another TPP sees nothing.
    const own = await oidc.tokenIntrospection(tpp.config, tokens.refresh_token!);
    assert.equal(own.active, true);
    assert.equal(own.client_id, 'tpp-a');
    const foreign = await oidc.tokenIntrospection(tppB.config, tokens.refresh_token!);
    assert.equal(foreign.active, false);
  });

  it('sends the customer’s refusal to the TPP as access_denied and rejects the consent', async () => {
    const { callback } = await authorize(tpp, stack.tpps.a.redirectUri, [ACCOUNT_INFORMATION], {
      decision: 'refuse',
    });
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('iss'), stack.issuer);
    const rejected = (await stack.service
      .db('consents')
      .where({ status: 'Rejected', status_reason: 'customer_refused' })) as unknown[];
    assert.equal(rejected.length, 1);
  });

  it('lets the customer refuse on the login page without logging in', async () => {
    const { url } = await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    const browser = new Browser((u) => u.href.startsWith(stack.tpps.a.redirectUri));
    const back = await browser.submit(await browser.open(url), '/refuse');
    assert.equal(back.url.searchParams.get('error'), 'access_denied');
  });

  it('keeps the customer on the account step until at least one of their own accounts is chosen', async () => {
    const { url } = await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    const browser = new Browser((u) => u.href.startsWith(stack.tpps.a.redirectUri));
    const login = await browser.open(url);
    const choose = await browser.submit(login, '/login', {
      username: 'zhangwei',
      password: DEMO_PASSWORD,
    });
    const none = await browser.submit(choose, '/accounts', {});
    assert.equal(none.status, 400);
    const foreign = await browser.submit(none, '/accounts', { accounts: ['acc-0002-01'] });
    assert.equal(foreign.status, 400, 'another customer’s account cannot be chosen');
  });

  it('refuses a wrong password without saying whether the login name exists', async () => {
    const { url } = await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    const browser = new Browser();
    const login = await browser.open(url);
    const wrong = await browser.submit(login, '/login', { username: 'zhangwei', password: 'nope' });
    const unknown = await browser.submit(wrong, '/login', { username: 'nobody', password: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
    assert.equal(strip(wrong.html), strip(unknown.html));
  });

  describe('refusals, each with its OAuth error', () => {
    it('refuses an authorization request that was not pushed (PAR required)', async () => {
      const url = new URL(`${stack.issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: 'tpp-a',
        response_type: 'code',
        redirect_uri: stack.tpps.a.redirectUri,
        scope: 'openid accounts',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      }).toString();
      const back = await new Browser((u) => u.href.startsWith(stack.tpps.a.redirectUri)).open(url);
      const error = back.url.searchParams.get('error') ?? /invalid_request/.exec(back.html)?.[0];
      assert.equal(error, 'invalid_request');
    });

    for (const [name, pkce] of [
      ['PKCE plain', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }],
      ['PKCE missing', {}],
    ] as const) {
      it(`refuses ${name} at the pushed authorization request`, async () => {
        const code = await oauthError(
          oidc.buildAuthorizationUrlWithPAR(
            tpp.config,
            {
              redirect_uri: stack.tpps.a.redirectUri,
              scope: 'openid accounts',
              authorization_details: JSON.stringify([ACCOUNT_INFORMATION]),
              ...pkce,
            },
            { DPoP: tpp.dpop },
          ),
        );
        assert.equal(code, 'invalid_request');
      });
    }

    it('refuses a scope that does not fit the kind of consent asked for', async () => {
      const credit = {
        type: 'credit_data_sharing',
        permissions: ['ReadEnterpriseProfile'],
        purpose: 'Loan',
        expirationDateTime: inDays(30),
      };
      const code = await oauthError(
        tpp.pushAuthorizationRequest({
          authorizationDetails: [credit],
          redirectUri: stack.tpps.a.redirectUri,
          scope: 'openid accounts',
        }),
      );
      assert.equal(code, 'invalid_scope');
    });

    it('refuses a redirect URI that is not registered', async () => {
      const code = await oauthError(
        tpp.pushAuthorizationRequest({
          authorizationDetails: [ACCOUNT_INFORMATION],
          redirectUri: 'https://attacker.example/cb',
        }),
      );
      assert.match(code, /^invalid_(redirect_uri|request)$/);
    });

    it('refuses client_secret_basic client authentication', async () => {
      const basic = await oidc.discovery(
        new URL(stack.issuer),
        'tpp-a',
        undefined,
        oidc.ClientSecretBasic('guess'),
        { execute: [oidc.allowInsecureRequests] },
      );
      const code = await oauthError(oidc.clientCredentialsGrant(basic, { scope: 'consents' }));
      assert.equal(code, 'invalid_client');
    });

    it('refuses a token request without a DPoP proof', async () => {
      const { callback, checks } = await authorize(tpp, stack.tpps.a.redirectUri, [
        ACCOUNT_INFORMATION,
      ]);
      const code = await oauthError(oidc.authorizationCodeGrant(tpp.config, callback, checks));
      assert.match(code, /^invalid_(grant|dpop_proof|request)$/);
    });

    it('refuses a reused code and revokes the tokens issued with its first use', async () => {
      const { callback, checks } = await authorize(tpp, stack.tpps.a.redirectUri, [
        ACCOUNT_INFORMATION,
      ]);
      const first = await tpp.exchangeCode(callback, checks);
      assert.equal(await oauthError(tpp.exchangeCode(callback, checks)), 'invalid_grant');
      assert.equal(await oauthError(tpp.refresh(first.refresh_token!)), 'invalid_grant');
    });

    it('refuses malformed authorization_details and creates no consent', async () => {
      const before = ((await stack.service.db('consents').count({ n: '*' })) as { n: number }[])[0]!
        .n;
      const bad = [
        [
          {
            type: 'account_information',
            permissions: ['ReadEverything'],
            expirationDateTime: inDays(30),
          },
        ],
        [
          {
            type: 'account_information',
            permissions: ['ReadBalances'],
            expirationDateTime: inDays(-1),
          },
        ],
        [
          {
            type: 'account_information',
            permissions: ['ReadBalances'],
            expirationDateTime: inDays(400),
          },
        ],
        [
          {
            ...ACCOUNT_INFORMATION,
            transactionFromDateTime: inDays(-1),
            transactionToDateTime: inDays(-30),
          },
        ],
        [{ type: 'account_information', permissions: ['ReadBalances'] }],
        [{ type: 'wire_transfer' }],
        [ACCOUNT_INFORMATION, ACCOUNT_INFORMATION],
      ];
      for (const details of bad) {
        const code = await oauthError(
          tpp.pushAuthorizationRequest({
            authorizationDetails: details,
            redirectUri: stack.tpps.a.redirectUri,
          }),
        );
        assert.equal(code, 'invalid_authorization_details', JSON.stringify(details));
      }
      const after = ((await stack.service.db('consents').count({ n: '*' })) as { n: number }[])[0]!
        .n;
      assert.equal(after, before);
    });

    it('refuses a refresh after the customer revokes the consent in the dashboard', async () => {
      const { callback, checks } = await authorize(tpp, stack.tpps.a.redirectUri, [
        ACCOUNT_INFORMATION,
      ]);
      const tokens = await tpp.exchangeCode(callback, checks);
      const consentId = String(decodeJwt(tokens.access_token).consent_id);
      const browser = new Browser();
      const login = await browser.open(`${stack.issuer}/dashboard`);
      const dashboard = await browser.submit(login, '/dashboard/login', {
        username: 'zhangwei',
        password: DEMO_PASSWORD,
      });
      assert.equal(dashboard.status, 200);
      assert.ok(dashboard.html.includes(`/dashboard/consents/${consentId}`));
      const confirm = await browser.open(`${stack.issuer}/dashboard/consents/${consentId}/revoke`);
      const done = await browser.submit(confirm, `/dashboard/consents/${consentId}/revoke`);
      assert.equal(done.status, 200);
      assert.equal((await stack.service.consents.store.find(consentId))?.status, 'Revoked');
      assert.equal(await oauthError(tpp.refresh(tokens.refresh_token!)), 'invalid_grant');
    });

    it('refuses a refresh after the consent expired', async () => {
      const shortLived = {
        ...ACCOUNT_INFORMATION,
        expirationDateTime: new Date(Date.now() + 3000).toISOString(),
      };
      const { callback, checks } = await authorize(tpp, stack.tpps.a.redirectUri, [shortLived]);
      const tokens = await tpp.exchangeCode(callback, checks);
      await new Promise((resolve) => setTimeout(resolve, 3500));
      await stack.service.consents.applyTimeouts(60);
      const consent = await stack.service.consents.store.find(
        String(decodeJwt(tokens.access_token).consent_id),
      );
      assert.equal(consent?.status, 'Expired');
      assert.equal(await oauthError(tpp.refresh(tokens.refresh_token!)), 'invalid_grant');
    });
  });

  describe('after a restart', () => {
    it('still knows the tokens issued before it and keeps the browser logged in', async () => {
      const first = await authorize(tpp, stack.tpps.a.redirectUri, [ACCOUNT_INFORMATION]);
      const tokens = await tpp.exchangeCode(first.callback, first.checks);
      await stack.restart();
      const introspected = await oidc.tokenIntrospection(tpp.config, tokens.refresh_token!);
      assert.equal(introspected.active, true);
      const again = await tpp.pushAuthorizationRequest({
        authorizationDetails: [ACCOUNT_INFORMATION],
        redirectUri: stack.tpps.a.redirectUri,
      });
      const page = await first.browser.open(again.url);
      assert.equal(page.status, 200);
      assert.ok(
        !page.html.includes('name="password"'),
        'no login form: the session survived the restart',
      );
      assert.ok(page.html.includes('name="accounts"'));
    });
  });
});
