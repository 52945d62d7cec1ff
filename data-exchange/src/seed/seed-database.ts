import { DEMO_CUSTOMERS, OTHER_ENTERPRISE_CREDIT_CODES } from '@bund/service-kit';
import type { Knex, Logger } from '@bund/service-kit';
import { checkCreditCode } from '../credit-code.js';
import { ENTERPRISE_FACTS } from './enterprise-facts.js';
import type { Localised } from './enterprise-facts.js';
import {
  enterpriseRow,
  invoiceMonthRows,
  taxGradeRows,
  utilityAccountRows,
  utilityBillRows,
} from './enterprise-records.js';
import type { SeedInput } from './enterprise-records.js';
import { PERSONAL_CREDIT_FACTS } from './personal-facts.js';
import { personalCreditRows } from './personal-records.js';

/** The seed run a database holds: which seed and anchor date produced its data. */
export interface SeedRun {
  seed: number;
  anchorDate: string;
}

/** Every table's rows, in insertion order (parents before children). */
export type SeedRows = ReadonlyArray<readonly [table: string, rows: readonly object[]]>;

/** Rows per insert statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK_SIZE = 500;

/**
 * Builds every row of the demo data from the seed and the anchor date, without touching a
 * database: the two SME customers' enterprises linked to their customer ids, the other
 * enterprises unlinked, and a credit report for each retail customer.
 */
export function buildSeedRows(input: SeedInput): SeedRows {
  const enterprises: Array<{ code: string; name: Localised; customerId: string | null }> = [
    ...DEMO_CUSTOMERS.filter((c) => c.kind === 'sme').map((c) => {
      if (!c.creditCode) throw new Error(`SME customer ${c.id} has no credit code`);
      return { code: c.creditCode, name: { zh: c.nameZh, en: c.nameEn }, customerId: c.id };
    }),
    ...OTHER_ENTERPRISE_CREDIT_CODES.map((code) => {
      const name = ENTERPRISE_FACTS[code]?.name;
      if (!name) throw new Error(`no name for enterprise ${code}`);
      return { code, name, customerId: null };
    }),
  ];

  const rows = {
    enterprises: [] as object[],
    tax_grades: [] as object[],
    invoice_months: [] as object[],
    utility_accounts: [] as object[],
    utility_bills: [] as object[],
    personal_credit_reports: [] as object[],
    personal_credit_accounts: [] as object[],
  };
  for (const { code, name, customerId } of enterprises) {
    const check = checkCreditCode(code);
    if (!check.valid) throw new Error(`demo credit code ${code} is invalid: ${check.reason}`);
    const facts = ENTERPRISE_FACTS[code];
    if (!facts) throw new Error(`no registration facts for enterprise ${code}`);
    rows.enterprises.push(enterpriseRow(code, name, customerId, facts));
    rows.tax_grades.push(...taxGradeRows(input, code, facts));
    rows.invoice_months.push(...invoiceMonthRows(input, code, facts));
    rows.utility_accounts.push(...utilityAccountRows(input, code, facts));
    rows.utility_bills.push(...utilityBillRows(input, code, facts));
  }
  for (const customer of DEMO_CUSTOMERS.filter((c) => c.kind === 'retail')) {
    const facts = PERSONAL_CREDIT_FACTS[customer.username];
    if (!facts) throw new Error(`no credit history for retail customer ${customer.username}`);
    const { report, accounts } = personalCreditRows(input, customer.id, facts);
    rows.personal_credit_reports.push(report);
    rows.personal_credit_accounts.push(...accounts);
  }
  return Object.entries(rows);
}

async function readSeedRun(db: Knex): Promise<SeedRun | undefined> {
  const row = (await db('seed_runs').where({ id: 1 }).first()) as
    { seed: number | string; anchor_date: string } | undefined;
  return row && { seed: Number(row.seed), anchorDate: row.anchor_date };
}

/**
 * Seeds the demo data into an empty database, in one transaction, and returns the seed run the
 * database holds. A database seeded before keeps its data (and its anchor date), whatever
 * `input` says. When replicas start together on one PostgreSQL, the `seed_runs` row is
 * written first: the loser's insert fails on its key, it rolls back and reads the winner's.
 */
export async function seedIfEmpty(db: Knex, input: SeedInput, logger?: Logger): Promise<SeedRun> {
  const existing = await readSeedRun(db);
  if (existing) return existing;
  const tables = buildSeedRows(input);
  try {
    await db.transaction(async (trx) => {
      await trx('seed_runs').insert({ id: 1, seed: input.seed, anchor_date: input.anchorDate });
      for (const [table, rows] of tables) {
        for (let i = 0; i < rows.length; i += CHUNK_SIZE) {
          await trx(table).insert(rows.slice(i, i + CHUNK_SIZE));
        }
      }
    });
  } catch (error) {
    const winner = await readSeedRun(db);
    if (winner) return winner;
    throw error;
  }
  logger?.info(
    {
      seed: input.seed,
      anchorDate: input.anchorDate,
      rows: Object.fromEntries(tables.map(([t, rows]) => [t, rows.length])),
    },
    'seeded demo data',
  );
  return { seed: input.seed, anchorDate: input.anchorDate };
}
