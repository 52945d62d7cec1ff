import assert from 'node:assert/strict';
import request from 'supertest';
import type { Knex } from '@bund/service-kit';
import type { MockBank } from '@bund/mock-bank/build';
import type { TransactionRow } from '@bund/mock-bank/db/rows';
import { buildTestBank, fromGateway } from './test-bank.js';

interface Transaction {
  id: string;
  accountId: string;
  bookingDateTime: string;
  valueDate: string;
  amount: { amount: string; currency: string };
  creditDebitIndicator: 'Credit' | 'Debit';
  balanceAfter: { amount: string; currency: string };
  [more: string]: unknown;
}

/** Cents from an API amount string, without float arithmetic. */
function cents(amount: string): number {
  const negative = amount.startsWith('-');
  const [whole, fraction] = amount.replace('-', '').split('.') as [string, string];
  const value = Number(whole) * 100 + Number(fraction);
  return negative ? -value : value;
}

describe('GET /accounts/{accountId}/transactions', () => {
  let bank: MockBank;

  before(async function () {
    this.timeout(30_000);
    bank = await buildTestBank();
  });
  after(() => bank?.db.destroy());

  /** Follows links.next from `path` to the end; returns every page's body. */
  async function walk(path: string, customerId = 'cus-0001') {
    const pages: {
      data: Transaction[];
      links: { self: string; next?: string };
      meta: { count: number };
    }[] = [];
    let next: string | undefined = path;
    while (next) {
      const res: request.Response = await request(bank.app)
        .get(next)
        .set(fromGateway(customerId))
        .expect(200);
      pages.push(res.body);
      next = res.body.links.next;
      assert.ok(pages.length < 1000, 'pagination does not end');
    }
    return pages;
  }

  async function storedIds(
    accountId: string,
    where: (q: Knex.QueryBuilder) => void = () => undefined,
  ): Promise<string[]> {
    const query = bank.db('transactions').where('account_id', accountId);
    where(query);
    const rows = await query.orderBy([
      { column: 'booked_at', order: 'desc' },
      { column: 'seq', order: 'desc' },
    ]);
    return rows.map((row: TransactionRow) => row.id);
  }

  it('walks every page of an account with no duplicate and no gap, newest first, totals matching the balance', async function () {
    this.timeout(30_000);
    const pages = await walk('/accounts/acc-0101-01/transactions?limit=500', 'cus-0101');
    const all = pages.flatMap((page) => page.data);
    const expected = await storedIds('acc-0101-01');
    assert.ok(expected.length > 5000);
    assert.equal(pages.length, Math.ceil(expected.length / 500));
    assert.deepEqual(
      all.map((t) => t.id),
      expected,
    );
    assert.equal(new Set(all.map((t) => t.id)).size, all.length);
    for (let i = 1; i < all.length; i += 1) {
      const [newer, older] = [all[i - 1]!, all[i]!];
      assert.ok(
        newer.bookingDateTime > older.bookingDateTime ||
          (newer.bookingDateTime === older.bookingDateTime && newer.id > older.id),
        `${newer.id} before ${older.id}`,
      );
    }
    for (const page of pages) assert.equal(page.meta.count, page.data.length);
    assert.equal(pages.at(-1)!.links.next, undefined);
    assert.ok(pages.slice(0, -1).every((page) => page.data.length === 500 && page.links.next));

    const total = all.reduce(
      (sum, t) => sum + (t.creditDebitIndicator === 'Credit' ? 1 : -1) * cents(t.amount.amount),
      0,
    );
    const balances = await request(bank.app)
      .get('/accounts/acc-0101-01/balances')
      .set(fromGateway('cus-0101'))
      .expect(200);
    assert.equal(cents(balances.body.data.balances[0].amount.amount), total);
    assert.equal(cents(all[0]!.balanceAfter.amount), total);
  });

  it('pages 100 transactions by default and answers the whole first page in full detail', async () => {
    const res = await request(bank.app)
      .get('/accounts/acc-0001-03/transactions')
      .set(fromGateway())
      .expect(200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.body.data.length, 100);
    assert.deepEqual(res.body.meta, { count: 100 });
    assert.equal(res.body.links.self, '/accounts/acc-0001-03/transactions');
    assert.match(
      res.body.links.next,
      /^\/accounts\/acc-0001-03\/transactions\?limit=100&cursor=[A-Za-z0-9_-]+$/,
    );

    const newest = (await bank
      .db<TransactionRow>('transactions')
      .where('account_id', 'acc-0001-03')
      .orderBy('seq', 'desc')
      .first())!;
    const money = (minor: number | string) => ({
      amount: (Number(minor) / 100).toFixed(2),
      currency: 'CNY',
    });
    assert.deepEqual(res.body.data[0], {
      id: newest.id,
      accountId: 'acc-0001-03',
      bookingDateTime: newest.booked_at,
      valueDate: newest.value_date,
      amount: money(newest.amount_minor),
      creditDebitIndicator: newest.credit_debit,
      status: 'Booked',
      category: newest.category,
      description: newest.description,
      ...(newest.merchant_name
        ? { merchant: { name: newest.merchant_name, categoryCode: newest.merchant_mcc } }
        : {}),
      ...(newest.counterparty_name
        ? {
            counterparty: {
              name: newest.counterparty_name,
              accountNumberMasked: newest.counterparty_account,
            },
          }
        : {}),
      balanceAfter: money(newest.balance_after_minor),
    });
  });

  it('shows card purchases with merchant and MCC, and transfers with a masked counterparty account', async () => {
    const pages = await walk('/accounts/acc-0001-01/transactions?limit=500');
    const all = pages.flatMap((page) => page.data);
    const purchase = all.find((t) => t.merchant) as
      { merchant: { name: string; categoryCode: string } } | undefined;
    assert.ok(purchase);
    assert.match(purchase.merchant.categoryCode, /^\d{4}$/);
    const salary = all.find((t) => t.category === 'salary') as
      { counterparty: { name: string; accountNumberMasked: string } } | undefined;
    assert.deepEqual(Object.keys(salary?.counterparty ?? {}), ['name', 'accountNumberMasked']);
    assert.match(salary!.counterparty.accountNumberMasked, /^\*{4} \d{4}$/);
  });

  it('filters by booking date, both ends inclusive, in China time', async () => {
    const day = '2025-06-10';
    const res = await request(bank.app)
      .get(
        `/accounts/acc-0102-01/transactions?fromBookingDate=${day}&toBookingDate=${day}&limit=500`,
      )
      .set(fromGateway('cus-0102'))
      .expect(200);
    const expected = await storedIds('acc-0102-01', (q) =>
      q.where('booked_at', 'like', `${day}T%`),
    );
    assert.ok(expected.length > 0);
    assert.deepEqual(
      res.body.data.map((t: Transaction) => t.id),
      expected,
    );
    for (const t of res.body.data as Transaction[])
      assert.equal(t.bookingDateTime.slice(0, 10), day);
  });

  it('walks a filtered range with links.next carrying the same filters', async () => {
    const pages = await walk(
      '/accounts/acc-0102-01/transactions?fromBookingDate=2025-03-01&toBookingDate=2025-03-31&creditDebitIndicator=Debit&limit=40',
      'cus-0102',
    );
    assert.ok(pages.length > 2);
    for (const page of pages.slice(0, -1)) {
      const next = new URL(page.links.next!, 'http://x');
      assert.equal(next.pathname, '/accounts/acc-0102-01/transactions');
      assert.equal(next.searchParams.get('fromBookingDate'), '2025-03-01');
      assert.equal(next.searchParams.get('toBookingDate'), '2025-03-31');
      assert.equal(next.searchParams.get('creditDebitIndicator'), 'Debit');
      assert.equal(next.searchParams.get('limit'), '40');
    }
    const all = pages.flatMap((page) => page.data);
    const expected = await storedIds('acc-0102-01', (q) =>
      q
        .where('booked_at', '>=', '2025-03-01')
        .andWhere('booked_at', '<', '2025-04-01')
        .andWhere('credit_debit', 'Debit'),
    );
    assert.deepEqual(
      all.map((t) => t.id),
      expected,
    );
    assert.ok(all.every((t) => t.creditDebitIndicator === 'Debit'));
  });

  it('answers an empty page without links.next for a range with no bookings', async () => {
    const res = await request(bank.app)
      .get('/accounts/acc-0001-01/transactions?fromBookingDate=2020-01-01&toBookingDate=2020-12-31')
      .set(fromGateway())
      .expect(200);
    assert.deepEqual(res.body, {
      data: [],
      links: {
        self: '/accounts/acc-0001-01/transactions?fromBookingDate=2020-01-01&toBookingDate=2020-12-31',
      },
      meta: { count: 0 },
    });
  });

  describe('refusals', () => {
    const cases: [string, string, number, string, string][] = [
      [
        'a start date after the end date',
        'fromBookingDate=2025-05-02&toBookingDate=2025-05-01',
        400,
        'invalid_parameter',
        'fromBookingDate',
      ],
      ['a malformed date', 'fromBookingDate=2025-5-1', 400, 'invalid_parameter', 'fromBookingDate'],
      [
        'a date that does not exist',
        'toBookingDate=2025-02-30',
        400,
        'invalid_parameter',
        'toBookingDate',
      ],
      [
        'an unknown credit/debit indicator',
        'creditDebitIndicator=Both',
        400,
        'invalid_parameter',
        'creditDebitIndicator',
      ],
      ['a limit of 0', 'limit=0', 400, 'invalid_parameter', 'limit'],
      ['a limit above 500', 'limit=501', 400, 'invalid_parameter', 'limit'],
      ['a limit that is not a number', 'limit=ten', 400, 'invalid_parameter', 'limit'],
      ['a fractional limit', 'limit=2.5', 400, 'invalid_parameter', 'limit'],
      ['a garbage cursor', 'cursor=garbage', 400, 'invalid_parameter', 'cursor'],
      [
        'a cursor that is not base64url',
        'cursor=%7B%22t%22%3A1%7D',
        400,
        'invalid_parameter',
        'cursor',
      ],
      ['a parameter given twice', 'limit=5&limit=6', 400, 'invalid_parameter', 'limit'],
      ['an unknown query parameter', 'offset=100', 400, 'unknown_parameter', 'offset'],
    ];
    for (const [what, query, status, code, parameter] of cases) {
      it(`refuses ${what} with ${status} ${code} naming ${parameter}`, async () => {
        const res = await request(bank.app)
          .get(`/accounts/acc-0001-01/transactions?${query}`)
          .set(fromGateway())
          .expect(status);
        assert.match(res.headers['content-type']!, /^application\/problem\+json/);
        assert.equal(res.body.code, code);
        assert.equal(res.body.errors[0].parameter, parameter);
      });
    }

    it('refuses a tampered cursor, and a cursor issued for other filters, naming cursor', async () => {
      const first = await request(bank.app)
        .get('/accounts/acc-0001-01/transactions?limit=5')
        .set(fromGateway())
        .expect(200);
      const cursor = new URL(first.body.links.next, 'http://x').searchParams.get('cursor')!;
      await request(bank.app)
        .get(`/accounts/acc-0001-01/transactions?limit=5&cursor=${cursor}`)
        .set(fromGateway())
        .expect(200);

      // Change the position inside the cursor while keeping it well-formed.
      const raw = Buffer.from(cursor, 'base64url');
      const payload = JSON.parse(raw.subarray(16).toString()) as { t: string; s: number };
      const forged = Buffer.concat([
        raw.subarray(0, 16),
        Buffer.from(JSON.stringify({ ...payload, s: payload.s + 1000 })),
      ]).toString('base64url');
      const flipped = cursor.slice(0, 5) + (cursor[5] === 'A' ? 'B' : 'A') + cursor.slice(6);
      for (const bad of [forged, flipped]) {
        const res = await request(bank.app)
          .get(`/accounts/acc-0001-01/transactions?limit=5&cursor=${bad}`)
          .set(fromGateway())
          .expect(400);
        assert.equal(res.body.errors[0].parameter, 'cursor');
      }
      const otherFilter = await request(bank.app)
        .get(`/accounts/acc-0001-01/transactions?creditDebitIndicator=Debit&cursor=${cursor}`)
        .set(fromGateway())
        .expect(400);
      assert.equal(otherFilter.body.errors[0].parameter, 'cursor');
      const otherAccount = await request(bank.app)
        .get(`/accounts/acc-0001-02/transactions?cursor=${cursor}`)
        .set(fromGateway())
        .expect(400);
      assert.equal(otherAccount.body.errors[0].parameter, 'cursor');
    });

    it("answers another customer's or an unconsented account with 404 and a malformed id with 400 naming accountId", async () => {
      const others = await request(bank.app)
        .get('/accounts/acc-0102-01/transactions')
        .set(fromGateway())
        .expect(404);
      assert.equal(others.body.code, 'not_found');
      await request(bank.app)
        .get('/accounts/acc-0001-01/transactions')
        .set(fromGateway('cus-0001', 'acc-0001-03'))
        .expect(404);
      const bad = await request(bank.app)
        .get('/accounts/acc_0001_01/transactions')
        .set(fromGateway())
        .expect(400);
      assert.equal(bad.body.errors[0].parameter, 'accountId');
    });
  });
});
