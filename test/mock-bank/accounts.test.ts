import assert from 'node:assert/strict';
import request from 'supertest';
import type { MockBank } from '@bund/mock-bank/build';
import type { AccountRow } from '@bund/mock-bank/db/rows';
import { buildTestBank, fromGateway, withoutInteractionId } from './test-bank.js';

/** The account as GET /accounts shows it, from its stored row. */
function expectedAccount(row: AccountRow) {
  return {
    id: row.id,
    type: row.type,
    currency: row.currency,
    nickname: { zh: row.nickname_zh, en: row.nickname_en },
    maskedNumber: `**** ${row.identification.slice(-4)}`,
    productName: { zh: row.product_zh, en: row.product_en },
    identification: row.identification,
    openedDate: row.opened_date,
    status: 'Enabled',
    ...(row.credit_limit_minor === null
      ? {}
      : {
          creditLimit: {
            amount: (Number(row.credit_limit_minor) / 100).toFixed(2),
            currency: row.currency,
          },
        }),
  };
}

describe('mock-bank: accounts and balances', () => {
  let bank: MockBank;
  let zhangwei: AccountRow[];

  before(async function () {
    this.timeout(30_000);
    bank = await buildTestBank();
    zhangwei = await bank
      .db<AccountRow>('accounts')
      .where('customer_id', 'cus-0001')
      .orderBy('position');
  });
  after(() => bank?.db.destroy());

  describe('GET /accounts', () => {
    it("lists the customer's three accounts in online-banking order, full numbers included, uncached", async () => {
      const res = await request(bank.app).get('/accounts').set(fromGateway()).expect(200);
      assert.match(res.headers['content-type']!, /^application\/json/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.ok(res.headers['x-fapi-interaction-id']);
      assert.deepEqual(res.body.data[2].creditLimit, { amount: '50000.00', currency: 'CNY' });
      assert.deepEqual(res.body, {
        data: zhangwei.map(expectedAccount),
        links: { self: '/accounts' },
        meta: { count: 3 },
      });
    });

    it('lists only the consented accounts when the gateway names them', async () => {
      const res = await request(bank.app)
        .get('/accounts')
        .set(fromGateway('cus-0001', 'acc-0001-03, acc-0001-01'))
        .expect(200);
      assert.deepEqual(
        res.body.data.map((a: { id: string }) => a.id),
        ['acc-0001-01', 'acc-0001-03'],
      );
      assert.equal(res.body.meta.count, 2);
    });

    it("never lists another customer's account, even when the gateway names it as consented", async () => {
      const res = await request(bank.app)
        .get('/accounts')
        .set(fromGateway('cus-0001', 'acc-0002-01,acc-0001-02'))
        .expect(200);
      assert.deepEqual(
        res.body.data.map((a: { id: string }) => a.id),
        ['acc-0001-02'],
      );
    });

    it('lists nothing when the consent names no account', async () => {
      const res = await request(bank.app)
        .get('/accounts')
        .set(fromGateway('cus-0001', ''))
        .expect(200);
      assert.deepEqual(res.body.data, []);
    });

    it('shows an SME customer its business accounts and chenjie his USD savings', async () => {
      const sme = await request(bank.app).get('/accounts').set(fromGateway('cus-0101')).expect(200);
      assert.deepEqual(
        sme.body.data.map((a: { productName: { en: string } }) => a.productName.en),
        ['Basic business current account', 'General business current account'],
      );
      const chenjie = await request(bank.app)
        .get('/accounts')
        .set(fromGateway('cus-0004'))
        .expect(200);
      assert.deepEqual(
        chenjie.body.data.map((a: { id: string; currency: string }) => `${a.id} ${a.currency}`),
        ['acc-0004-01 CNY', 'acc-0004-02 USD', 'acc-0004-03 CNY'],
      );
    });

    it('refuses a call without the customer header with 400 naming the header', async () => {
      const headers = fromGateway();
      delete headers['x-bund-customer-id'];
      const res = await request(bank.app).get('/accounts').set(headers).expect(400);
      assert.equal(res.body.code, 'invalid_parameter');
      assert.deepEqual(res.body.errors, [
        { parameter: 'x-bund-customer-id', detail: 'is required' },
      ]);
    });

    it('refuses a malformed customer id or consented-accounts header with 400 naming it', async () => {
      const bad = await request(bank.app).get('/accounts').set(fromGateway('zhangwei')).expect(400);
      assert.equal(bad.body.errors[0].parameter, 'x-bund-customer-id');
      const list = await request(bank.app)
        .get('/accounts')
        .set(fromGateway('cus-0001', 'acc-0001-01;drop'))
        .expect(400);
      assert.equal(list.body.errors[0].parameter, 'x-bund-consented-accounts');
    });

    it('refuses an unknown query parameter with 400 unknown_parameter naming it', async () => {
      const res = await request(bank.app).get('/accounts?page=2').set(fromGateway()).expect(400);
      assert.match(res.headers['content-type']!, /^application\/problem\+json/);
      assert.equal(res.body.code, 'unknown_parameter');
      assert.deepEqual(res.body.errors, [{ parameter: 'page', detail: 'unknown parameter' }]);
    });
  });

  describe('GET /accounts/{accountId}', () => {
    it('reads one account', async () => {
      const res = await request(bank.app)
        .get('/accounts/acc-0001-02')
        .set(fromGateway())
        .expect(200);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(res.body, {
        data: expectedAccount(zhangwei[1]!),
        links: { self: '/accounts/acc-0001-02' },
        meta: {},
      });
    });

    it("answers an unknown, another customer's and an unconsented account with the same 404", async () => {
      const unknown = await request(bank.app)
        .get('/accounts/acc-0001-09')
        .set(fromGateway())
        .expect(404);
      const others = await request(bank.app)
        .get('/accounts/acc-0002-01')
        .set(fromGateway())
        .expect(404);
      const unconsented = await request(bank.app)
        .get('/accounts/acc-0001-02')
        .set(fromGateway('cus-0001', 'acc-0001-01'))
        .expect(404);
      assert.equal(unknown.body.code, 'not_found');
      const sameExceptId = (body: Record<string, unknown>) => ({
        ...withoutInteractionId(body),
        detail: String(body.detail).replace(/acc-\d{4}-\d{2}/, 'acc-…'),
      });
      assert.deepEqual(sameExceptId(others.body), sameExceptId(unknown.body));
      assert.deepEqual(sameExceptId(unconsented.body), sameExceptId(unknown.body));
    });

    it('refuses a malformed account id with 400 naming accountId', async () => {
      for (const id of ['12345', 'acc-1-1', 'ACC-0001-01', "acc-0001-01'--"]) {
        const res = await request(bank.app)
          .get(`/accounts/${encodeURIComponent(id)}`)
          .set(fromGateway())
          .expect(400);
        assert.equal(res.body.code, 'invalid_parameter');
        assert.equal(res.body.errors[0].parameter, 'accountId', id);
      }
    });
  });

  describe('GET /accounts/{accountId}/balances', () => {
    async function bookedSum(accountId: string): Promise<number> {
      const rows = await bank
        .db('transactions')
        .where('account_id', accountId)
        .select('credit_debit', 'amount_minor');
      return rows.reduce(
        (sum, r) => sum + (r.credit_debit === 'Credit' ? 1 : -1) * Number(r.amount_minor),
        0,
      );
    }

    it('answers closingBooked as the sum of booked transactions, available the same for a current account', async () => {
      const sum = await bookedSum('acc-0001-01');
      const latest = await bank
        .db('transactions')
        .where('account_id', 'acc-0001-01')
        .max({ at: 'booked_at' });
      const res = await request(bank.app)
        .get('/accounts/acc-0001-01/balances')
        .set(fromGateway())
        .expect(200);
      const amount = { amount: (sum / 100).toFixed(2), currency: 'CNY' };
      const dateTime = latest[0]!.at;
      assert.deepEqual(res.body, {
        data: {
          accountId: 'acc-0001-01',
          balances: [
            { type: 'closingBooked', amount, dateTime },
            { type: 'interimAvailable', amount, dateTime },
          ],
        },
        links: { self: '/accounts/acc-0001-01/balances' },
        meta: {},
      });
      assert.ok(sum > 0);
    });

    it("answers a card's negative booked balance and what is left of its limit", async () => {
      const sum = await bookedSum('acc-0001-03');
      assert.ok(sum < 0);
      const res = await request(bank.app)
        .get('/accounts/acc-0001-03/balances')
        .set(fromGateway())
        .expect(200);
      const [booked, available] = res.body.data.balances;
      assert.equal(booked.amount.amount, `-${(-sum / 100).toFixed(2)}`);
      assert.equal(available.amount.amount, ((sum + 5_000_000) / 100).toFixed(2));
    });

    it('answers the USD account in USD', async () => {
      const res = await request(bank.app)
        .get('/accounts/acc-0004-02/balances')
        .set(fromGateway('cus-0004'))
        .expect(200);
      assert.equal(res.body.data.balances[0].amount.currency, 'USD');
      assert.equal(
        res.body.data.balances[0].amount.amount,
        ((await bookedSum('acc-0004-02')) / 100).toFixed(2),
      );
    });

    it("answers another customer's or an unconsented account with 404 and a malformed id with 400", async () => {
      await request(bank.app).get('/accounts/acc-0101-01/balances').set(fromGateway()).expect(404);
      await request(bank.app)
        .get('/accounts/acc-0001-03/balances')
        .set(fromGateway('cus-0001', 'acc-0001-01'))
        .expect(404);
      const bad = await request(bank.app)
        .get('/accounts/nope/balances')
        .set(fromGateway())
        .expect(400);
      assert.equal(bad.body.errors[0].parameter, 'accountId');
    });

    it('refuses an unknown query parameter with 400 unknown_parameter', async () => {
      const res = await request(bank.app)
        .get('/accounts/acc-0001-01/balances?asOf=2025-01-01')
        .set(fromGateway())
        .expect(400);
      assert.equal(res.body.code, 'unknown_parameter');
    });
  });
});
