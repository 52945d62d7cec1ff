import { monthOf, monthsBetween } from '../calendar.js';
import type { SeedInput } from './enterprise-records.js';
import type { CreditAccountFacts, PersonalCreditFacts } from './personal-facts.js';
import { randomFor } from './random.js';

/** Months covered by each account's repayment record. */
export const REPAYMENT_MONTHS = 24;

/** A row of `personal_credit_reports`: one retail customer's report. */
export interface PersonalCreditReportRow {
  customer_id: string;
  report_date: string;
  enquiries_last_6_months: number;
}

/** A row of `personal_credit_accounts`: one credit account of a report. */
export interface PersonalCreditAccountRow {
  customer_id: string;
  position: number;
  type: string;
  institution_zh: string;
  institution_en: string;
  opened_on: string;
  credit_limit_minor: number;
  outstanding_minor: number;
  repayment_status: string;
}

/**
 * The 24-month repayment record, oldest month first: `N` normal, `1`–`7` months overdue.
 * A past episode is placed at random early enough that repayment (`N`) follows it; a current
 * one ends in the last month. Positions depend on the seed only, not on the anchor date.
 */
export function repaymentStatus(
  random: ReturnType<typeof randomFor>,
  facts: CreditAccountFacts,
): string {
  const months = Array.from({ length: REPAYMENT_MONTHS }, () => 'N');
  for (const { run, when } of facts.episodes ?? []) {
    // Past episodes end at least three months before the window does, leaving room for a
    // current one without touching it.
    const start =
      when === 'current'
        ? REPAYMENT_MONTHS - run.length
        : random.int(0, REPAYMENT_MONTHS - run.length - 4);
    [...run].forEach((status, i) => (months[start + i] = status));
  }
  return months.join('');
}

/**
 * What is still owed at the anchor date: a card's statement balance (a share of its limit),
 * or a loan's amortised principal after the instalments paid since the month it was opened.
 */
function outstandingMinor(
  random: ReturnType<typeof randomFor>,
  facts: CreditAccountFacts,
  anchorDate: string,
): number {
  if (facts.type === 'credit_card') {
    return Math.round(facts.creditLimitMinor * random.between(0.05, 0.45));
  }
  const term = facts.termMonths ?? 12;
  const rate = (facts.annualRate ?? 0) / 12;
  const paid = Math.min(
    term,
    Math.max(0, monthsBetween(monthOf(facts.openedOn), monthOf(anchorDate)) - 1),
  );
  const principal = facts.creditLimitMinor;
  if (rate === 0) return Math.round(principal * (1 - paid / term));
  const instalment = (principal * rate) / (1 - (1 + rate) ** -term);
  const growth = (1 + rate) ** paid;
  return Math.max(0, Math.round(principal * growth - (instalment * (growth - 1)) / rate));
}

/** The report and account rows of one retail customer's personal credit summary. */
export function personalCreditRows(
  { seed, anchorDate }: SeedInput,
  customerId: string,
  facts: PersonalCreditFacts,
): { report: PersonalCreditReportRow; accounts: PersonalCreditAccountRow[] } {
  return {
    report: {
      customer_id: customerId,
      report_date: anchorDate,
      enquiries_last_6_months: facts.enquiriesLast6Months,
    },
    accounts: facts.accounts.map((account, position) => {
      const random = randomFor(seed, 'credit-account', customerId, position);
      return {
        customer_id: customerId,
        position,
        type: account.type,
        institution_zh: account.institution.zh,
        institution_en: account.institution.en,
        opened_on: account.openedOn,
        credit_limit_minor: account.creditLimitMinor,
        outstanding_minor: outstandingMinor(random, account, anchorDate),
        repayment_status: repaymentStatus(random, account),
      };
    }),
  };
}
