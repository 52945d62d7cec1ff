import assert from 'node:assert/strict';
import request from 'supertest';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { metricValue } from '../support/metrics-text.js';
import { ConsentStack } from '../support/consent-stack.js';

describe('Consent service HTTP metrics', () => {
  let stack: ConsentStack;

  beforeEach(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start();
  });
  afterEach(async () => stack?.stop());

  it('counts each OAuth endpoint under its own route, an unknown path as unmatched', async () => {
    // Discovery, PAR and a token call, as a TPP makes them.
    const tpp = await createTppClient({
      issuer: stack.issuer,
      clientId: stack.tpps.a.clientId,
      privateJwk: stack.tpps.a.privateJwk,
    });
    await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    await tpp.clientCredentials();
    // A scanner's guess: its path must not become a label.
    await request(stack.service.app).get('/wp-admin/setup-config.php').expect(404);

    const text = (await request(stack.service.app).get('/metrics').expect(200)).text;
    const count = (route: string, method: string, status: string) =>
      metricValue(text, 'http_requests_total', { route, method, status });
    assert.equal(count('discovery', 'GET', '200'), 1, text);
    assert.equal(count('pushed_authorization_request', 'POST', '201'), 1, text);
    assert.equal(count('token', 'POST', '200'), 1, text);
    assert.equal(count('unmatched', 'GET', '404'), 1, text);
    assert.doesNotMatch(text, /wp-admin/);
  });
});
