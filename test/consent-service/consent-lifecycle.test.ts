import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import request from 'supertest';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import type { TppClient } from '@bund/consent-service/demo/tpp-client';
import {
  loadOrCreateSigningKeys,
  rotateSigningKeys,
} from '@bund/consent-service/oidc/signing-keys';
import { ACCOUNT_INFORMATION, authorize } from '../support/authorize.js';
import { metricValue } from '../support/metrics-text.js';
import { Browser } from '../support/browser.js';
import { ConsentStack, GATEWAY_URL } from '../support/consent-stack.js';
import { dropSchema, reachablePostgres, uniqueSchema } from '../support/postgres.js';

/** One series of the consent service's `/metrics`; 0 when it is not exported yet. */
async function metric(
  stack: ConsentStack,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const text = (await request(stack.service.app).get('/metrics').expect(200)).text;
  return metricValue(text, name, labels) ?? 0;
}

describe('Consent lifecycle over time', () => {
  let stack: ConsentStack;
  let tpp: TppClient;

  beforeEach(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start();
    tpp = await createTppClient({
      issuer: stack.issuer,
      clientId: stack.tpps.a.clientId,
      privateJwk: stack.tpps.a.privateJwk,
    });
  });
  afterEach(async () => stack?.stop());

  it('rejects consents left awaiting the customer as abandoned, counted by the stage they reached', async () => {
    // One journey stops at the login page, another after login before choosing accounts.
    const first = await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    await new Browser().open(first.url);
    const second = await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    const browser = new Browser();
    const login = await browser.open(second.url);
    await browser.submit(login, '/login', { username: 'lina', password: DEMO_PASSWORD });

    await stack.service.consents.applyTimeouts(60);
    assert.equal(
      ((await stack.service.db('consents').where({ status: 'Rejected' })) as unknown[]).length,
      0,
      'not yet: the timeout is 60 minutes',
    );

    await stack.service.consents.applyTimeouts(60, new Date(Date.now() + 61 * 60_000));
    const rows = (await stack.service
      .db('consents')
      .select('status', 'status_reason', 'customer_id')) as {
      status: string;
      status_reason: string;
      customer_id: string | null;
    }[];
    assert.deepEqual(rows.map((r) => [r.status, r.status_reason]).sort(), [
      ['Rejected', 'abandoned'],
      ['Rejected', 'abandoned'],
    ]);
    assert.equal(
      await metric(stack, 'bund_consent_journeys_abandoned_total', { stage: 'before_login' }),
      1,
    );
    assert.equal(
      await metric(stack, 'bund_consent_journeys_abandoned_total', {
        stage: 'before_account_selection',
      }),
      1,
    );
    assert.equal(
      await metric(stack, 'bund_consent_transitions_total', {
        type: 'account_information',
        status: 'Rejected',
        reason: 'abandoned',
      }),
      2,
    );
  });

  it('reports transitions, active consents, tokens issued and login failures to operators', async () => {
    const { callback, checks } = await authorize(tpp, stack.tpps.a.redirectUri, [
      ACCOUNT_INFORMATION,
    ]);
    await tpp.exchangeCode(callback, checks);
    const failed = new Browser();
    const pushed = await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    await failed.submit(await failed.open(pushed.url), '/login', {
      username: 'zhangwei',
      password: 'wrong',
    });

    assert.equal(await metric(stack, 'bund_consents_active', { type: 'account_information' }), 1);
    assert.equal(
      await metric(stack, 'bund_consent_transitions_total', {
        type: 'account_information',
        status: 'Authorised',
        reason: 'customer_authorised',
      }),
      1,
    );
    assert.equal(
      await metric(stack, 'bund_tokens_issued_total', { grant_type: 'authorization_code' }),
      1,
    );
    assert.equal(
      await metric(stack, 'bund_login_failures_total', { reason: 'invalid_credentials' }),
      1,
    );
  });

  it('rotates signing keys without breaking tokens issued before the rotation', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bund-keys-'));
    const file = path.join(dir, 'keys.json');
    await stack.restart({ signingKeys: await loadOrCreateSigningKeys(file) });
    const before = await authorize(tpp, stack.tpps.a.redirectUri, [ACCOUNT_INFORMATION]);
    const oldToken = (await tpp.exchangeCode(before.callback, before.checks)).access_token;

    await stack.restart({ signingKeys: await rotateSigningKeys(file, 24 * 3600 * 1000) });
    const jwks = createLocalJWKSet(
      (await request(stack.service.app).get('/jwks').expect(200)).body,
    );
    const after = await authorize(tpp, stack.tpps.a.redirectUri, [ACCOUNT_INFORMATION]);
    const newToken = (await tpp.exchangeCode(after.callback, after.checks)).access_token;

    const oldVerified = await jwtVerify(oldToken, jwks, {
      issuer: stack.issuer,
      audience: GATEWAY_URL,
      typ: 'at+jwt',
    });
    const newVerified = await jwtVerify(newToken, jwks, {
      issuer: stack.issuer,
      audience: GATEWAY_URL,
      typ: 'at+jwt',
    });
    assert.notEqual(
      oldVerified.protectedHeader.kid,
      newVerified.protectedHeader.kid,
      'new tokens are signed with the new key',
    );
  });
});

describe('The authorization flow on PostgreSQL', () => {
  let url: string | undefined;
  let schema: string;
  let stack: ConsentStack | undefined;

  before(async function () {
    this.timeout(60_000);
    url = await reachablePostgres();
    if (!url) this.skip();
    schema = uniqueSchema('bund_consent');
    stack = await ConsentStack.start({ databaseUrl: url, databaseSchema: schema });
  });
  after(async () => {
    await stack?.stop();
    if (url) await dropSchema(url, schema);
  });

  it('authorises, issues tokens, refreshes and survives a restart', async () => {
    const tpp = await createTppClient({
      issuer: stack!.issuer,
      clientId: stack!.tpps.a.clientId,
      privateJwk: stack!.tpps.a.privateJwk,
    });
    const { callback, checks } = await authorize(
      tpp,
      stack!.tpps.a.redirectUri,
      [ACCOUNT_INFORMATION],
      { accounts: ['acc-0001-02'] },
    );
    const tokens = await tpp.exchangeCode(callback, checks);
    const [detail] = decodeJwt(tokens.access_token).authorization_details as {
      accounts: string[];
    }[];
    assert.deepEqual(detail!.accounts, ['acc-0001-02']);
    await stack!.restart();
    const refreshed = await tpp.refresh(tokens.refresh_token!);
    assert.equal(
      decodeJwt(refreshed.access_token).consent_id,
      decodeJwt(tokens.access_token).consent_id,
    );
  });
});
