import type { Knex } from '@bund/service-kit';
import type {
  PersonalCreditAccountRow,
  PersonalCreditReportRow,
} from '../seed/personal-records.js';

/** A customer's credit report and its accounts, or `undefined` when the exchange has none. */
export async function findCreditReport(
  db: Knex,
  customerId: string,
): Promise<{ report: PersonalCreditReportRow; accounts: PersonalCreditAccountRow[] } | undefined> {
  const report = (await db('personal_credit_reports')
    .where({ customer_id: customerId })
    .first()) as PersonalCreditReportRow | undefined;
  if (!report) return undefined;
  const accounts = (await db('personal_credit_accounts')
    .where({ customer_id: customerId })
    .orderBy('position', 'asc')) as PersonalCreditAccountRow[];
  return { report, accounts };
}
