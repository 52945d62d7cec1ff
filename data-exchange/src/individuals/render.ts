import { monthsBefore } from '../calendar.js';
import { money } from '../money.js';
import type {
  PersonalCreditAccountRow,
  PersonalCreditReportRow,
} from '../seed/personal-records.js';
import { REPAYMENT_MONTHS } from '../seed/personal-records.js';

/** The worst month of a repayment record, in months overdue (0 when always normal). */
function longestOverdue(repaymentStatus: string): number {
  return Math.max(0, ...[...repaymentStatus].map((s) => (s === 'N' ? 0 : Number(s))));
}

/** Whether the last (most recent) month of a record is overdue. */
function overdueNow(repaymentStatus: string): boolean {
  return !repaymentStatus.endsWith('N');
}

/**
 * The personal credit summary: totals derived from the accounts (so they always agree with
 * them), the enquiry count, and each account with its 24-month repayment record.
 */
export function renderCreditSummary(
  report: PersonalCreditReportRow,
  accounts: readonly PersonalCreditAccountRow[],
) {
  const window = monthsBefore(report.report_date, REPAYMENT_MONTHS);
  const countOf = (type: string) => accounts.filter((a) => a.type === type).length;
  const sum = (pick: (a: PersonalCreditAccountRow) => number | string) =>
    accounts.reduce((total, a) => total + BigInt(pick(a)), 0n);
  return {
    reportDate: report.report_date,
    accountCounts: {
      creditCards: countOf('credit_card'),
      loans: countOf('loan'),
      mortgages: countOf('mortgage'),
      total: accounts.length,
    },
    totalCreditLimit: money(sum((a) => a.credit_limit_minor)),
    totalOutstanding: money(sum((a) => a.outstanding_minor)),
    overdueAccounts: accounts.filter((a) => overdueNow(a.repayment_status)).length,
    longestOverdueMonths: Math.max(0, ...accounts.map((a) => longestOverdue(a.repayment_status))),
    enquiriesLast6Months: Number(report.enquiries_last_6_months),
    repaymentPeriod: { fromMonth: window[0]!, toMonth: window[window.length - 1]! },
    creditAccounts: accounts.map((a) => ({
      type: a.type,
      institution: { zh: a.institution_zh, en: a.institution_en },
      openedOn: a.opened_on,
      creditLimit: money(a.credit_limit_minor),
      outstanding: money(a.outstanding_minor),
      status: overdueNow(a.repayment_status) ? 'overdue' : 'normal',
      repaymentStatus: a.repayment_status,
    })),
  };
}
