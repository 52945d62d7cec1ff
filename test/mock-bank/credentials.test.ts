import assert from 'node:assert/strict';
import request from 'supertest';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import type { MockBank } from '@bund/mock-bank/build';
import { CREDENTIALS, buildTestBank } from './test-bank.js';

const RESOURCE_ROUTES = [
  '/accounts',
  '/accounts/acc-0001-01',
  '/accounts/acc-0001-01/balances',
  '/accounts/acc-0001-01/transactions',
];
const INTERNAL_GETS = ['/internal/customers/cus-0001', '/internal/customers/cus-0001/accounts'];
const LOGIN = { username: 'zhangwei', password: 'bund-demo-2026' };

describe('mock-bank: who may call', () => {
  let bank: MockBank;

  before(async function () {
    this.timeout(30_000);
    bank = await buildTestBank();
  });
  after(() => bank?.db.destroy());

  function expectUnauthorized(res: request.Response) {
    assert.equal(res.status, 401, res.text);
    assert.match(res.headers['content-type']!, /^application\/problem\+json/);
    assert.equal(res.body.code, 'unauthorized');
    assert.equal(res.body.interactionId, res.headers['x-fapi-interaction-id']);
  }

  describe('the resource API (gateway only)', () => {
    for (const path of RESOURCE_ROUTES) {
      it(`refuses GET ${path} without a credential, with a wrong one, and with the consent service's, all 401`, async () => {
        const customer = { [INTERNAL_HEADERS.customerId]: 'cus-0001' };
        expectUnauthorized(await request(bank.app).get(path).set(customer));
        expectUnauthorized(
          await request(bank.app)
            .get(path)
            .set({ ...customer, [INTERNAL_HEADERS.credential]: 'guess' }),
        );
        expectUnauthorized(
          await request(bank.app)
            .get(path)
            .set({ ...customer, [INTERNAL_HEADERS.credential]: CREDENTIALS.consentService }),
        );
        await request(bank.app)
          .get(path)
          .set({ ...customer, [INTERNAL_HEADERS.credential]: CREDENTIALS.gateway })
          .expect(200);
      });
    }

    it('checks the credential before anything else, so a stranger learns nothing from 400s or 404s', async () => {
      expectUnauthorized(await request(bank.app).get('/accounts/not-an-id/transactions?bogus=1'));
      expectUnauthorized(await request(bank.app).get('/accounts/acc-0002-01'));
    });
  });

  describe('the internal customer API (consent service only)', () => {
    for (const path of INTERNAL_GETS) {
      it(`refuses GET ${path} without a credential and with the gateway's, 401`, async () => {
        expectUnauthorized(await request(bank.app).get(path));
        expectUnauthorized(
          await request(bank.app).get(path).set(INTERNAL_HEADERS.credential, CREDENTIALS.gateway),
        );
        await request(bank.app)
          .get(path)
          .set(INTERNAL_HEADERS.credential, CREDENTIALS.consentService)
          .expect(200);
      });
    }

    it("refuses POST /internal/customers/authenticate without a credential and with the gateway's, 401, before reading the body", async () => {
      expectUnauthorized(
        await request(bank.app).post('/internal/customers/authenticate').send(LOGIN),
      );
      expectUnauthorized(
        await request(bank.app)
          .post('/internal/customers/authenticate')
          .set(INTERNAL_HEADERS.credential, CREDENTIALS.gateway)
          .send(LOGIN),
      );
      expectUnauthorized(
        await request(bank.app)
          .post('/internal/customers/authenticate')
          .set('content-type', 'text/plain')
          .send('x'.repeat(100_000)),
      );
    });
  });

  it('leaves health and metrics open to operators', async () => {
    await request(bank.app).get('/health/live').expect(200);
    const ready = await request(bank.app).get('/health/ready').expect(200);
    assert.deepEqual(ready.body, { status: 'ready', checks: { database: 'ok' } });
    await request(bank.app)
      .get('/accounts')
      .set({
        [INTERNAL_HEADERS.credential]: CREDENTIALS.gateway,
        [INTERNAL_HEADERS.customerId]: 'cus-0001',
      })
      .expect(200);
    const metrics = await request(bank.app).get('/metrics').expect(200);
    assert.match(
      metrics.text,
      /http_requests_total\{route="listAccounts",method="GET",status="200",service="mock-bank"\}/,
    );
  });
});
