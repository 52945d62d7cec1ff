/** The kinds of account the bank keeps; the spec lists the same values. */
export type AccountType = 'current' | 'savings' | 'credit_card';

/** Which number format an account gets: personal debit card, credit card, or business account. */
export type NumberKind = 'personal' | 'card' | 'business';

/** Two-language text shown to customers. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** One account the seed creates, before numbers and dates are drawn. */
export interface AccountPlan {
  /** `acc-<customer number>-<index>` */
  id: string;
  customerId: string;
  /** Order in which the customer sees their accounts (1-based). */
  position: number;
  type: AccountType;
  currency: 'CNY' | 'USD';
  nickname: Bilingual;
  product: Bilingual;
  numberKind: NumberKind;
  /** Credit cards only: the limit in minor units. */
  creditLimitMinor?: number;
  /** Balance brought forward at the start of the window, in yuan (cards start at zero). */
  openingMajor: number;
}

/** The number part of a customer id: `cus-0101` → `0101`. */
function customerNumber(customerId: string): string {
  return customerId.slice('cus-'.length);
}

function plan(
  customerId: string,
  position: number,
  rest: Omit<AccountPlan, 'id' | 'customerId' | 'position'>,
): AccountPlan {
  return {
    id: `acc-${customerNumber(customerId)}-${String(position).padStart(2, '0')}`,
    customerId,
    position,
    ...rest,
  };
}

const DEBIT_CARD: Bilingual = {
  zh: '个人借记卡（I类账户）',
  en: 'Personal debit card (Class I account)',
};
const SAVINGS: Bilingual = { zh: '个人储蓄存款', en: 'Personal savings deposit' };
const CREDIT_CARD: Bilingual = { zh: '银联标准信用卡（金卡）', en: 'UnionPay Gold credit card' };

/**
 * Every account of the demo customers. zhangwei has exactly three (a browser test chooses two
 * of them); chenjie holds the one USD account; the SME customers carry most of the volume.
 */
export const ACCOUNT_PLANS: readonly AccountPlan[] = [
  plan('cus-0001', 1, {
    type: 'current',
    currency: 'CNY',
    nickname: { zh: '工资卡', en: 'Salary account' },
    product: DEBIT_CARD,
    numberKind: 'personal',
    openingMajor: 18_650,
  }),
  plan('cus-0001', 2, {
    type: 'savings',
    currency: 'CNY',
    nickname: { zh: '购房储蓄', en: 'Home savings' },
    product: SAVINGS,
    numberKind: 'personal',
    openingMajor: 86_000,
  }),
  plan('cus-0001', 3, {
    type: 'credit_card',
    currency: 'CNY',
    nickname: { zh: '日常信用卡', en: 'Everyday credit card' },
    product: CREDIT_CARD,
    numberKind: 'card',
    creditLimitMinor: 50_000_00,
    openingMajor: 0,
  }),
  plan('cus-0002', 1, {
    type: 'current',
    currency: 'CNY',
    nickname: { zh: '日常账户', en: 'Everyday account' },
    product: DEBIT_CARD,
    numberKind: 'personal',
    openingMajor: 12_300,
  }),
  plan('cus-0002', 2, {
    type: 'credit_card',
    currency: 'CNY',
    nickname: { zh: '信用卡', en: 'Credit card' },
    product: { zh: '银联白金信用卡', en: 'UnionPay Platinum credit card' },
    numberKind: 'card',
    creditLimitMinor: 80_000_00,
    openingMajor: 0,
  }),
  plan('cus-0003', 1, {
    type: 'current',
    currency: 'CNY',
    nickname: { zh: '工资卡', en: 'Salary account' },
    product: DEBIT_CARD,
    numberKind: 'personal',
    openingMajor: 9_800,
  }),
  plan('cus-0003', 2, {
    type: 'savings',
    currency: 'CNY',
    nickname: { zh: '教育储蓄', en: 'Education savings' },
    product: SAVINGS,
    numberKind: 'personal',
    openingMajor: 42_000,
  }),
  plan('cus-0004', 1, {
    type: 'current',
    currency: 'CNY',
    nickname: { zh: '日常账户', en: 'Everyday account' },
    product: DEBIT_CARD,
    numberKind: 'personal',
    openingMajor: 25_400,
  }),
  plan('cus-0004', 2, {
    type: 'savings',
    currency: 'USD',
    nickname: { zh: '美元储蓄', en: 'USD savings' },
    product: { zh: '个人外币储蓄存款（美元）', en: 'Personal foreign-currency savings (USD)' },
    numberKind: 'personal',
    openingMajor: 12_500,
  }),
  plan('cus-0004', 3, {
    type: 'credit_card',
    currency: 'CNY',
    nickname: { zh: '出行信用卡', en: 'Travel credit card' },
    product: CREDIT_CARD,
    numberKind: 'card',
    creditLimitMinor: 60_000_00,
    openingMajor: 0,
  }),
  plan('cus-0101', 1, {
    type: 'current',
    currency: 'CNY',
    nickname: { zh: '基本户', en: 'Basic account' },
    product: { zh: '单位基本存款账户', en: 'Basic business current account' },
    numberKind: 'business',
    openingMajor: 3_800_000,
  }),
  plan('cus-0101', 2, {
    type: 'current',
    currency: 'CNY',
    nickname: { zh: '一般户', en: 'General account' },
    product: { zh: '单位一般存款账户', en: 'General business current account' },
    numberKind: 'business',
    openingMajor: 650_000,
  }),
  plan('cus-0102', 1, {
    type: 'current',
    currency: 'CNY',
    nickname: { zh: '结算户', en: 'Operating account' },
    product: { zh: '单位基本存款账户', en: 'Business current account' },
    numberKind: 'business',
    openingMajor: 1_450_000,
  }),
  plan('cus-0102', 2, {
    type: 'savings',
    currency: 'CNY',
    nickname: { zh: '协定存款', en: 'Business savings' },
    product: { zh: '单位协定存款', en: 'Business savings deposit' },
    numberKind: 'business',
    openingMajor: 2_000_000,
  }),
];

/** The plan of `id`; throws when the seed code names an account that does not exist. */
export function accountPlan(id: string): AccountPlan {
  const found = ACCOUNT_PLANS.find((account) => account.id === id);
  if (!found) throw new Error(`no account plan ${id}`);
  return found;
}
