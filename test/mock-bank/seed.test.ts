import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_CUSTOMERS, DEMO_PASSWORD } from '@bund/service-kit';
import type { MockBank } from '@bund/mock-bank/build';
import type { AccountRow, CustomerRow, TransactionRow } from '@bund/mock-bank/db/rows';
import { luhnCheckDigit } from '@bund/mock-bank/seed/account-number';
import { CATEGORIES } from '@bund/mock-bank/seed/catalogue';
import { windowStart } from '@bund/mock-bank/seed/generate';
import { verifyPassword } from '@bund/mock-bank/customers/password-hash';
import { ANCHOR_DATE, buildTestBank } from './test-bank.js';

/** Every transaction in booking order, bigint columns as numbers. */
async function allTransactions(bank: MockBank): Promise<TransactionRow[]> {
  const rows = await bank.db<TransactionRow>('transactions').orderBy('seq');
  return rows.map((row) => ({
    ...row,
    seq: Number(row.seq),
    amount_minor: Number(row.amount_minor),
    balance_after_minor: Number(row.balance_after_minor),
  }));
}

describe('mock-bank: the seeded demo bank', () => {
  let bank: MockBank;
  let customers: CustomerRow[];
  let accounts: AccountRow[];
  let transactions: TransactionRow[];

  before(async function () {
    this.timeout(30_000);
    const started = performance.now();
    bank = await buildTestBank();
    console.log(`      (built and seeded in ${Math.round(performance.now() - started)} ms)`);
    customers = await bank.db<CustomerRow>('customers').orderBy('id');
    accounts = await bank.db<AccountRow>('accounts').orderBy('id');
    transactions = await allTransactions(bank);
  });
  after(() => bank?.db.destroy());

  it('holds every demo customer (4 retail, 2 SME) with their names and credit codes', () => {
    assert.deepEqual(
      customers.map((c) => ({
        id: c.id,
        username: c.username,
        kind: c.kind,
        nameZh: c.name_zh,
        nameEn: c.name_en,
        creditCode: c.credit_code ?? undefined,
      })),
      [...DEMO_CUSTOMERS]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((c) => ({ ...c, creditCode: c.creditCode })),
    );
    assert.equal(customers.filter((c) => c.kind === 'retail').length, 4);
    assert.equal(customers.filter((c) => c.kind === 'sme').length, 2);
  });

  it('stores only scrypt hashes of the demo password, each with its own salt', async () => {
    const salts = new Set<string>();
    for (const customer of customers) {
      assert.match(
        customer.password_hash,
        /^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/,
      );
      assert.ok(!customer.password_hash.includes(DEMO_PASSWORD));
      salts.add(customer.password_hash.split('$')[4]!);
      assert.equal(await verifyPassword(DEMO_PASSWORD, customer.password_hash), true);
      assert.equal(await verifyPassword(`${DEMO_PASSWORD}x`, customer.password_hash), false);
    }
    assert.equal(salts.size, customers.length);
  });

  it('opens the planned accounts: zhangwei exactly three, one USD account, business accounts for the SMEs', () => {
    assert.ok(accounts.length >= 12);
    const of = (customerId: string) =>
      accounts
        .filter((a) => a.customer_id === customerId)
        .sort((a, b) => a.position - b.position)
        .map((a) => `${a.id}:${a.type}:${a.currency}`);
    assert.deepEqual(of('cus-0001'), [
      'acc-0001-01:current:CNY',
      'acc-0001-02:savings:CNY',
      'acc-0001-03:credit_card:CNY',
    ]);
    assert.deepEqual(of('cus-0002'), ['acc-0002-01:current:CNY', 'acc-0002-02:credit_card:CNY']);
    assert.deepEqual(of('cus-0003'), ['acc-0003-01:current:CNY', 'acc-0003-02:savings:CNY']);
    assert.deepEqual(of('cus-0004'), [
      'acc-0004-01:current:CNY',
      'acc-0004-02:savings:USD',
      'acc-0004-03:credit_card:CNY',
    ]);
    assert.deepEqual(of('cus-0101'), ['acc-0101-01:current:CNY', 'acc-0101-02:current:CNY']);
    assert.deepEqual(of('cus-0102'), ['acc-0102-01:current:CNY', 'acc-0102-02:savings:CNY']);
    assert.deepEqual(
      accounts.filter((a) => a.currency !== 'CNY').map((a) => a.id),
      ['acc-0004-02'],
    );
  });

  it('gives personal accounts and cards 19-digit numbers with a valid Luhn check digit, and cards a credit limit', () => {
    for (const account of accounts) {
      const business = account.customer_id.startsWith('cus-01');
      if (business) {
        assert.match(account.identification, /^\d{15}$/, account.id);
      } else {
        assert.match(account.identification, /^\d{19}$/, account.id);
        assert.equal(
          account.identification.at(-1),
          luhnCheckDigit(account.identification.slice(0, -1)),
          account.id,
        );
      }
      assert.equal(account.credit_limit_minor !== null, account.type === 'credit_card', account.id);
      assert.ok(
        account.opened_date < windowStart(ANCHOR_DATE),
        `${account.id} opened before the window`,
      );
      assert.equal(account.status, 'Enabled');
    }
    assert.equal(new Set(accounts.map((a) => a.identification)).size, accounts.length);
  });

  it('books at least 20,000 transactions over the 24 months before the anchor date, SMEs carrying most', () => {
    assert.ok(transactions.length >= 20_000, `only ${transactions.length}`);
    const start = windowStart(ANCHOR_DATE);
    assert.equal(start, '2024-01-15');
    for (const t of transactions) {
      assert.ok(t.booked_at >= start && t.booked_at < ANCHOR_DATE, `${t.id} booked ${t.booked_at}`);
      assert.ok(t.value_date >= t.booked_at.slice(0, 10), `${t.id} value date before booking`);
    }
    const sme = transactions.filter((t) => t.account_id.startsWith('acc-01')).length;
    assert.ok(sme > transactions.length / 2, `SME accounts hold ${sme} of ${transactions.length}`);
    for (const account of accounts) {
      assert.ok(
        transactions.some((t) => t.account_id === account.id),
        `${account.id} has no transactions`,
      );
    }
  });

  it('starts every current and savings account with an opening credit at the window start', () => {
    for (const account of accounts.filter((a) => a.type !== 'credit_card')) {
      const first = transactions.find((t) => t.account_id === account.id)!;
      assert.equal(first.category, 'opening_balance');
      assert.equal(first.credit_debit, 'Credit');
      assert.equal(first.booked_at, '2024-01-15T00:00:00+08:00');
    }
  });

  it('keeps every running balance equal to the sum of the transactions so far, never below zero outside cards', () => {
    const running = new Map<string, number>();
    for (const t of transactions) {
      const signed = t.credit_debit === 'Credit' ? Number(t.amount_minor) : -Number(t.amount_minor);
      const balance = (running.get(t.account_id) ?? 0) + signed;
      running.set(t.account_id, balance);
      assert.equal(Number(t.balance_after_minor), balance, t.id);
      const account = accounts.find((a) => a.id === t.account_id)!;
      if (account.type === 'credit_card') {
        assert.ok(balance >= -Number(account.credit_limit_minor), `${t.id} over the card limit`);
      } else {
        assert.ok(balance >= 0, `${t.id} overdraws ${account.id}`);
      }
      assert.ok(Number(t.amount_minor) > 0);
      assert.equal(t.currency, account.currency);
    }
    // Cards carry a balance between statements, repaid monthly.
    for (const card of accounts.filter((a) => a.type === 'credit_card')) {
      assert.ok(running.get(card.id)! < 0, `${card.id} carries no balance`);
      const repayments = transactions.filter(
        (t) => t.account_id === card.id && t.category === 'card_repayment',
      );
      assert.ok(repayments.length >= 20, `${card.id} repaid only ${repayments.length} times`);
    }
  });

  it('looks like Chinese retail and SME activity: merchants with MCCs, salaries, taxes, payroll', () => {
    const merchants = new Set(
      transactions.filter((t) => t.merchant_name).map((t) => t.merchant_name),
    );
    for (const name of [
      '美团外卖',
      '盒马鲜生',
      '京东',
      '滴滴出行',
      '中国石化',
      '国家电网',
      '中国移动',
      '12306中国铁路',
      '海底捞火锅',
      '星巴克',
      '携程旅行',
      '屈臣氏',
      '万达影城',
    ]) {
      assert.ok(merchants.has(name), `no purchase at ${name}`);
    }
    for (const t of transactions) {
      if (t.merchant_name) assert.match(t.merchant_mcc ?? '', /^\d{4}$/, t.id);
      if (t.counterparty_account) assert.match(t.counterparty_account, /^\*{4} \d{4}$/, t.id);
      assert.ok((CATEGORIES as readonly string[]).includes(t.category), t.category);
    }
    const categories = new Set(transactions.map((t) => t.category));
    for (const category of [
      'salary',
      'rent',
      'utilities',
      'transfer',
      'interest',
      'card_repayment',
      'sales_receipt',
      'supplier_payment',
      'payroll',
      'tax',
      'social_insurance',
      'fees',
    ]) {
      assert.ok(categories.has(category), `no ${category}`);
    }
    assert.ok(
      transactions.some(
        (t) => t.category === 'tax' && t.counterparty_name?.startsWith('国家税务总局'),
      ),
    );
    assert.ok(
      transactions.some((t) => t.value_date > t.booked_at.slice(0, 10)),
      'no value date after booking',
    );
  });

  it('produces identical rows from the same seed and anchor date, and different rows from another seed', async function () {
    this.timeout(30_000);
    const again = await buildTestBank();
    const other = await buildTestBank({ seed: 7 });
    try {
      assert.deepEqual(await again.db('customers').orderBy('id'), customers);
      assert.deepEqual(await again.db('accounts').orderBy('id'), accounts);
      assert.deepEqual(await allTransactions(again), transactions);
      const otherTransactions = await allTransactions(other);
      assert.notDeepEqual(otherTransactions.slice(0, 200), transactions.slice(0, 200));
      assert.notDeepEqual(await other.db('customers').orderBy('id'), customers);
    } finally {
      await again.db.destroy();
      await other.db.destroy();
    }
  });

  it('seeds only an empty database: a restart keeps the data it finds', async function () {
    this.timeout(30_000);
    const sqliteFile = path.join(
      mkdtempSync(path.join(tmpdir(), 'mock-bank-seed-')),
      'bank.sqlite',
    );
    const first = await buildTestBank({ sqliteFile });
    const count = Number((await first.db('transactions').count({ n: '*' }))[0]!.n);
    await first.db.destroy();
    // A different anchor would produce different rows if it seeded again.
    const second = await buildTestBank({ sqliteFile, anchorDate: '2025-06-30' });
    try {
      assert.equal(Number((await second.db('transactions').count({ n: '*' }))[0]!.n), count);
      const latest = await second.db('transactions').max({ at: 'booked_at' });
      assert.ok(String(latest[0]!.at) < ANCHOR_DATE && String(latest[0]!.at) > '2026-01-13');
    } finally {
      await second.db.destroy();
    }
  });
});
