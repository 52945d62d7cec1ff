import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_CUSTOMERS, OTHER_ENTERPRISE_CREDIT_CODES } from '@bund/service-kit';
import { isValidCreditCode } from '@bund/data-exchange/credit-code';
import { buildSeedRows } from '@bund/data-exchange/seed/seed-database';
import type { DataExchange } from '@bund/data-exchange/build';
import { ANCHOR_DATE, buildTestService } from './helpers.js';

type Row = Record<string, unknown>;

function tableOf(rows: ReturnType<typeof buildSeedRows>, name: string): Row[] {
  const found = rows.find(([table]) => table === name);
  assert.ok(found, `no table ${name}`);
  return found[1] as Row[];
}

const SME = DEMO_CUSTOMERS.filter((c) => c.kind === 'sme');
const RETAIL = DEMO_CUSTOMERS.filter((c) => c.kind === 'retail');
const ALL_CODES = [...SME.map((c) => c.creditCode!), ...OTHER_ENTERPRISE_CREDIT_CODES];

describe('data-exchange demo data', () => {
  const rows = buildSeedRows({ seed: 20260102, anchorDate: ANCHOR_DATE });

  it('links both SME customers to their enterprises and leaves the other four unlinked', () => {
    const enterprises = tableOf(rows, 'enterprises');
    assert.deepEqual(
      enterprises.map((e) => [e.credit_code, e.customer_id, e.name_en]),
      [
        ...SME.map((c) => [c.creditCode, c.id, c.nameEn]),
        ...OTHER_ENTERPRISE_CREDIT_CODES.map((code) => [
          code,
          null,
          enterprises.find((e) => e.credit_code === code)!.name_en,
        ]),
      ],
    );
    for (const e of enterprises) {
      assert.equal(e.status, 'in_operation');
      assert.match(String(e.industry_code), /^[A-T]\d{4}$/);
      assert.ok(Number(e.registered_capital_minor) > 0);
    }
  });

  it('holds 24 months of invoices for every enterprise, ending the month before the anchor', () => {
    const invoices = tableOf(rows, 'invoice_months');
    for (const code of ALL_CODES) {
      const months = invoices.filter((r) => r.credit_code === code).map((r) => r.month);
      assert.equal(months.length, 24, code);
      assert.equal(months[0], '2024-01');
      assert.equal(months[23], '2025-12');
    }
  });

  it('charges VAT at a real rate on every invoice total', () => {
    for (const r of tableOf(rows, 'invoice_months')) {
      const outputRate = Number(r.issued_tax_minor) / Number(r.issued_amount_minor);
      assert.ok(
        [0.06, 0.09, 0.13].some((rate) => Math.abs(outputRate - rate) < 1e-6),
        `${r.credit_code} ${r.month}: output VAT ${outputRate}`,
      );
      const inputRate = Number(r.received_tax_minor) / Number(r.received_amount_minor);
      assert.ok(inputRate > 0.06 - 1e-6 && inputRate < 0.13 + 1e-6, `input VAT ${inputRate}`);
      assert.ok(Number(r.issued_count) >= 1 && Number(r.received_count) >= 1);
    }
  });

  it('dips in the Spring Festival month: February sales are below the year around them', () => {
    const sales = (month: string) =>
      Number(
        tableOf(rows, 'invoice_months').find(
          (r) => r.credit_code === SME[0]!.creditCode && r.month === month,
        )!.issued_amount_minor,
      );
    assert.ok(sales('2025-02') < sales('2025-01') && sales('2025-02') < sales('2025-03'));
  });

  it('bills electricity, water and gas every month, each paid on time, late or not yet', () => {
    const bills = tableOf(rows, 'utility_bills');
    for (const code of ALL_CODES) {
      assert.equal(bills.filter((b) => b.credit_code === code).length, 72, code);
    }
    for (const b of bills) {
      assert.ok(String(b.due_date) > `${String(b.month)}-31`, 'due after the billing month');
      if (b.status === 'unpaid') assert.equal(b.paid_date, null);
      if (b.status === 'paid_on_time') assert.ok(String(b.paid_date) <= String(b.due_date));
      if (b.status === 'paid_late') assert.ok(String(b.paid_date) > String(b.due_date));
      if (b.paid_date) assert.ok(String(b.paid_date) <= ANCHOR_DATE, 'no payment after the anchor');
    }
    assert.ok(bills.some((b) => b.status === 'paid_late'));
  });

  it('gives every utility provider a valid generated credit code', () => {
    for (const account of tableOf(rows, 'utility_accounts')) {
      assert.ok(isValidCreditCode(String(account.provider_credit_code)));
    }
  });

  it('grades every enterprise for 3 to 5 published years, the founding year M', () => {
    const grades = tableOf(rows, 'tax_grades');
    for (const code of ALL_CODES) {
      const own = grades.filter((g) => g.credit_code === code);
      assert.ok(own.length >= 3 && own.length <= 5, `${code}: ${own.length} years`);
      assert.equal(own.at(-1)!.year, 2024, 'the 2025 grade is not published before April 2026');
      for (const g of own) assert.match(String(g.grade), /^[ABMCD]$/);
    }
  });

  it('has a credit report for every retail customer and none for the SMEs', () => {
    const reports = tableOf(rows, 'personal_credit_reports');
    assert.deepEqual(
      reports.map((r) => r.customer_id),
      RETAIL.map((c) => c.id),
    );
    const accounts = tableOf(rows, 'personal_credit_accounts');
    for (const c of RETAIL) assert.ok(accounts.some((a) => a.customer_id === c.id));
    for (const a of accounts) assert.match(String(a.repayment_status), /^[N1-7]{24}$/);
  });

  it('is deterministic: the same seed and anchor give identical rows', () => {
    assert.deepEqual(buildSeedRows({ seed: 20260102, anchorDate: ANCHOR_DATE }), rows);
  });

  it('changes with the seed', () => {
    const other = buildSeedRows({ seed: 7, anchorDate: ANCHOR_DATE });
    assert.notDeepEqual(tableOf(other, 'invoice_months'), tableOf(rows, 'invoice_months'));
  });

  it('keeps a month identical when the anchor moves, so examples stay true', () => {
    const later = buildSeedRows({ seed: 20260102, anchorDate: '2026-11-25' });
    const pick = (table: Row[]) => table.filter((r) => r.month === '2025-07');
    assert.deepEqual(pick(tableOf(later, 'invoice_months')), pick(tableOf(rows, 'invoice_months')));
    assert.deepEqual(pick(tableOf(later, 'utility_bills')), pick(tableOf(rows, 'utility_bills')));
    assert.deepEqual(tableOf(later, 'invoice_months').at(-1)!.month, '2026-10');
  });

  describe('seeding a database', () => {
    let dir: string;
    const services: DataExchange[] = [];
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'data-exchange-seed-'));
    });
    after(async () => {
      await Promise.all(services.map((s) => s.db.destroy()));
      rmSync(dir, { recursive: true, force: true });
    });

    it('seeds only an empty database: a restart with another anchor keeps the data it has', async () => {
      const sqliteFile = path.join(dir, 'data-exchange.sqlite');
      const first = await buildTestService({ sqliteFile });
      services.push(first);
      const counts = async (s: DataExchange) =>
        Promise.all(
          ['enterprises', 'invoice_months', 'utility_bills', 'personal_credit_accounts'].map(
            async (t) => Number((await s.db(t).count({ n: '*' }))[0]!.n),
          ),
        );
      const before = await counts(first);
      assert.deepEqual(before, [6, 144, 432, 10]);
      await first.db.destroy();
      services.pop();

      const second = await buildTestService({ sqliteFile, seedAnchorDate: '2026-11-25', seed: 1 });
      services.push(second);
      assert.deepEqual(second.seedRun, { seed: 20260102, anchorDate: ANCHOR_DATE });
      assert.deepEqual(await counts(second), before);
    });
  });
});
