/**
 * The credit histories behind the retail demo customers' personal credit summaries, keyed by
 * login name (ids come from service-kit's DEMO_CUSTOMERS). Each tells a different story a
 * lender would read differently: spotless, one slip, a short episode, and overdue now.
 */
import type { Localised } from './enterprise-facts.js';

/** The kinds of credit account a personal report lists. */
export type CreditAccountType = 'credit_card' | 'loan' | 'mortgage';

/** A run of overdue months in the 24-month repayment record, like `"12"`. */
export interface OverdueEpisode {
  /** Consecutive months overdue, each one more than the last: `"1"`, `"12"`, `"123"`. */
  run: string;
  /** `past`: somewhere earlier in the window, then repaid; `current`: ends in the last month. */
  when: 'past' | 'current';
}

/** One credit account as the seed knows it. */
export interface CreditAccountFacts {
  type: CreditAccountType;
  institution: Localised;
  openedOn: string;
  /** Credit limit of a card, original principal of a loan or mortgage, in fen. */
  creditLimitMinor: number;
  /** Loans and mortgages: term and yearly interest rate, for the amortised balance. */
  termMonths?: number;
  annualRate?: number;
  episodes?: readonly OverdueEpisode[];
}

/** One retail customer's credit history. */
export interface PersonalCreditFacts {
  enquiriesLast6Months: number;
  accounts: readonly CreditAccountFacts[];
}

const BANKS = {
  cmb: { zh: '招商银行', en: 'China Merchants Bank' },
  icbc: { zh: '中国工商银行', en: 'Industrial and Commercial Bank of China' },
  boc: { zh: '中国银行', en: 'Bank of China' },
  pingan: { zh: '平安银行', en: 'Ping An Bank' },
  ccb: { zh: '中国建设银行', en: 'China Construction Bank' },
  bocom: { zh: '交通银行', en: 'Bank of Communications' },
  spdb: { zh: '上海浦东发展银行', en: 'Shanghai Pudong Development Bank' },
  citic: { zh: '中信银行', en: 'China CITIC Bank' },
  abc: { zh: '中国农业银行', en: 'Agricultural Bank of China' },
} as const satisfies Record<string, Localised>;

/** Credit histories by login name. */
export const PERSONAL_CREDIT_FACTS: Readonly<Record<string, PersonalCreditFacts>> = {
  // A homeowner with a clean record.
  zhangwei: {
    enquiriesLast6Months: 1,
    accounts: [
      {
        type: 'mortgage',
        institution: BANKS.cmb,
        openedOn: '2019-08-12',
        creditLimitMinor: 2_800_000_00,
        termMonths: 360,
        annualRate: 0.042,
      },
      {
        type: 'credit_card',
        institution: BANKS.cmb,
        openedOn: '2016-05-03',
        creditLimitMinor: 80_000_00,
      },
      {
        type: 'credit_card',
        institution: BANKS.icbc,
        openedOn: '2020-11-20',
        creditLimitMinor: 50_000_00,
      },
    ],
  },
  // One card payment a month late, once.
  lina: {
    enquiriesLast6Months: 2,
    accounts: [
      {
        type: 'credit_card',
        institution: BANKS.boc,
        openedOn: '2018-02-14',
        creditLimitMinor: 30_000_00,
        episodes: [{ run: '1', when: 'past' }],
      },
      {
        type: 'loan',
        institution: BANKS.pingan,
        openedOn: '2023-06-10',
        creditLimitMinor: 100_000_00,
        termMonths: 60,
        annualRate: 0.068,
      },
    ],
  },
  // Three cards; two months behind on one of them, a while ago.
  wangfang: {
    enquiriesLast6Months: 4,
    accounts: [
      {
        type: 'credit_card',
        institution: BANKS.ccb,
        openedOn: '2015-09-01',
        creditLimitMinor: 60_000_00,
      },
      {
        type: 'credit_card',
        institution: BANKS.bocom,
        openedOn: '2019-03-22',
        creditLimitMinor: 40_000_00,
      },
      {
        type: 'credit_card',
        institution: BANKS.spdb,
        openedOn: '2021-07-30',
        creditLimitMinor: 25_000_00,
        episodes: [{ run: '12', when: 'past' }],
      },
    ],
  },
  // Shopping for credit, and a car-loan instalment overdue right now.
  chenjie: {
    enquiriesLast6Months: 6,
    accounts: [
      {
        type: 'credit_card',
        institution: BANKS.citic,
        openedOn: '2017-10-10',
        creditLimitMinor: 20_000_00,
        episodes: [{ run: '1', when: 'past' }],
      },
      {
        type: 'loan',
        institution: BANKS.abc,
        openedOn: '2022-04-15',
        creditLimitMinor: 180_000_00,
        termMonths: 60,
        annualRate: 0.055,
        episodes: [
          { run: '12', when: 'past' },
          { run: '1', when: 'current' },
        ],
      },
    ],
  },
};
