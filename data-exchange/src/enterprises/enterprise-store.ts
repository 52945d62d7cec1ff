import type { Knex } from '@bund/service-kit';
import type { Utility } from '../seed/enterprise-facts.js';
import type {
  EnterpriseRow,
  InvoiceMonthRow,
  TaxGradeRow,
  UtilityBillRow,
} from '../seed/enterprise-records.js';

/** A month range; either end may be open. */
export interface MonthFilter {
  fromMonth?: string | undefined;
  toMonth?: string | undefined;
}

/** A utility bill with its account's provider and unit. */
export type UtilityBillWithAccount = UtilityBillRow & {
  provider_name_zh: string;
  provider_name_en: string;
  provider_credit_code: string;
  unit: string;
};

function withinMonths(query: Knex.QueryBuilder, column: string, filter: MonthFilter) {
  if (filter.fromMonth) query.where(column, '>=', filter.fromMonth);
  if (filter.toMonth) query.where(column, '<=', filter.toMonth);
  return query;
}

/**
 * The enterprise `creditCode` if it belongs to `customerId`. Unknown and someone else's give
 * the same `undefined`, so the answer cannot reveal that an enterprise exists.
 */
export async function findEnterpriseOf(
  db: Knex,
  customerId: string,
  creditCode: string,
): Promise<EnterpriseRow | undefined> {
  return (await db('enterprises')
    .where({ credit_code: creditCode, customer_id: customerId })
    .first()) as EnterpriseRow | undefined;
}

/** The enterprise's published tax credit grades, oldest year first. */
export async function listTaxGrades(db: Knex, creditCode: string): Promise<TaxGradeRow[]> {
  return (await db('tax_grades')
    .where({ credit_code: creditCode })
    .orderBy('year', 'asc')) as TaxGradeRow[];
}

/** The enterprise's monthly invoice totals in the range, oldest month first. */
export async function listInvoiceMonths(
  db: Knex,
  creditCode: string,
  filter: MonthFilter,
): Promise<InvoiceMonthRow[]> {
  const query = db('invoice_months').where({ credit_code: creditCode }).orderBy('month', 'asc');
  return (await withinMonths(query, 'month', filter)) as InvoiceMonthRow[];
}

/** The enterprise's utility bills in the range, by month and then utility. */
export async function listUtilityBills(
  db: Knex,
  creditCode: string,
  filter: MonthFilter & { utility?: Utility | undefined },
): Promise<UtilityBillWithAccount[]> {
  const query = db('utility_bills as b')
    .join('utility_accounts as a', function () {
      this.on('a.credit_code', '=', 'b.credit_code').andOn('a.utility', '=', 'b.utility');
    })
    .where('b.credit_code', creditCode)
    .select('b.*', 'a.provider_name_zh', 'a.provider_name_en', 'a.provider_credit_code', 'a.unit')
    .orderBy([
      { column: 'b.month', order: 'asc' },
      { column: 'b.utility', order: 'asc' },
    ]);
  if (filter.utility) query.where('b.utility', filter.utility);
  return (await withinMonths(query, 'b.month', filter)) as UtilityBillWithAccount[];
}
