import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_PASSWORD } from '@bund/service-kit';
import type { MockBank } from '@bund/mock-bank/build';
import type { TransactionRow } from '@bund/mock-bank/db/rows';
import { dropSchema, reachablePostgres, uniqueSchema } from '../support/postgres.js';
import { buildTestBank, fromConsentService, fromGateway } from './test-bank.js';

/** Rows with bigint columns as numbers (PostgreSQL answers them as strings). */
async function transactionsOf(bank: MockBank): Promise<TransactionRow[]> {
  const rows = await bank.db<TransactionRow>('transactions').orderBy('seq');
  return rows.map((row) => ({
    ...row,
    seq: Number(row.seq),
    amount_minor: Number(row.amount_minor),
    balance_after_minor: Number(row.balance_after_minor),
  }));
}

describe('mock-bank on PostgreSQL', () => {
  let url: string | undefined;
  const schema = uniqueSchema('mock_bank_test');
  const banks: MockBank[] = [];
  let bank: MockBank;

  before(async function () {
    this.timeout(60_000);
    url = await reachablePostgres();
    if (!url) this.skip();
    // Two replicas starting at once on one empty schema: one seeds, the other finds the data.
    const replicas = await Promise.all(
      [1, 2].map(() => buildTestBank({ databaseUrl: url, databaseSchema: schema })),
    );
    banks.push(...replicas);
    bank = replicas[0]!;
  });

  after(async function () {
    this.timeout(30_000);
    for (const b of banks) await b.db.destroy();
    if (url) await dropSchema(url, schema);
  });

  it('keeps its tables in its own schema, seeded once, with the same rows as on SQLite', async function () {
    this.timeout(60_000);
    const tables = await bank.db.raw(
      'select table_name from information_schema.tables where table_schema = ? order by table_name',
      [schema],
    );
    const names = (tables.rows as { table_name: string }[]).map((r) => r.table_name);
    for (const table of ['accounts', 'customers', 'transactions'])
      assert.ok(names.includes(table), `${table} not in ${schema}`);

    const sqlite = await buildTestBank();
    try {
      assert.deepEqual(
        await bank.db('customers').orderBy('id'),
        await sqlite.db('customers').orderBy('id'),
      );
      const normalise = (rows: Record<string, unknown>[]) =>
        rows.map((r) => ({
          ...r,
          credit_limit_minor: r.credit_limit_minor === null ? null : Number(r.credit_limit_minor),
        }));
      assert.deepEqual(
        normalise(await bank.db('accounts').orderBy('id')),
        normalise(await sqlite.db('accounts').orderBy('id')),
      );
      assert.deepEqual(await transactionsOf(bank), await transactionsOf(sqlite));
    } finally {
      await sqlite.db.destroy();
    }
  });

  it('answers accounts, balances and paginated transactions the same through either replica', async function () {
    this.timeout(30_000);
    const [one, two] = banks as [MockBank, MockBank];
    const accounts = await request(one.app).get('/accounts').set(fromGateway()).expect(200);
    assert.equal(accounts.body.data.length, 3);
    assert.deepEqual(
      (await request(two.app).get('/accounts').set(fromGateway()).expect(200)).body,
      accounts.body,
    );

    const balances = await request(one.app)
      .get('/accounts/acc-0001-03/balances')
      .set(fromGateway())
      .expect(200);
    const sum = await bank
      .db('transactions')
      .where('account_id', 'acc-0001-03')
      .select('credit_debit', 'amount_minor');
    const expected = sum.reduce(
      (s, r) => s + (r.credit_debit === 'Credit' ? 1 : -1) * Number(r.amount_minor),
      0,
    );
    assert.equal(balances.body.data.balances[0].amount.amount, (expected / 100).toFixed(2));

    // A page read from one replica continues on the other: the cursor is the bank's, not the process's.
    const first = await request(one.app)
      .get(
        '/accounts/acc-0001-01/transactions?fromBookingDate=2025-01-01&toBookingDate=2025-03-31&limit=30',
      )
      .set(fromGateway())
      .expect(200);
    const second = await request(two.app).get(first.body.links.next).set(fromGateway()).expect(200);
    const ids = [...first.body.data, ...second.body.data].map((t: { id: string }) => t.id);
    const stored = await bank
      .db('transactions')
      .where('account_id', 'acc-0001-01')
      .andWhere('booked_at', '>=', '2025-01-01')
      .andWhere('booked_at', '<', '2025-04-01')
      .orderBy([
        { column: 'booked_at', order: 'desc' },
        { column: 'seq', order: 'desc' },
      ])
      .limit(60)
      .pluck('id');
    assert.deepEqual(ids, stored);
  });

  it('logs a customer in', async () => {
    const res = await request(bank.app)
      .post('/internal/customers/authenticate')
      .set(fromConsentService)
      .send({ username: 'hefeng', password: DEMO_PASSWORD })
      .expect(200);
    assert.equal(res.body.data.customerId, 'cus-0102');
  });
});
