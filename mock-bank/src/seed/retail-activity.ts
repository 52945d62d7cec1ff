import type { Activity, DayContext } from './activity.js';
import { at, isInterestDay, quarterlyInterest, wholeYuan } from './activity.js';
import type { Merchant } from './catalogue.js';
import {
  CHINA_MOBILE,
  PEOPLE,
  RETAIL_MERCHANTS,
  STATE_GRID,
  SUBSCRIPTIONS,
  maskedCounterpartyAccount,
} from './catalogue.js';

/** An own account as a counterparty sees it. */
export interface OwnAccount {
  id: string;
  /** `**** 0123` */
  masked: string;
}

/** The money habits of one retail customer. */
export interface RetailProfile {
  /** The customer's Chinese name, shown as counterparty of their own transfers. */
  name: string;
  current: OwnAccount;
  savings?: OwnAccount & { annualRate: number; monthlyTransferMajor: number };
  card?: OwnAccount & { statementDay: number; dueDay: number };
  employer: string;
  salaryMajor: number;
  payday: number;
  landlord?: { name: string; rentMajor: number; day: number };
  water: string;
  gas: string;
  /** Average purchases per day paid by debit card or quick pay from the current account. */
  debitPurchasesPerDay: number;
  /** Average purchases per day on the credit card. */
  cardPurchasesPerDay: number;
  subscriptions: number;
}

const MERCHANT_WEIGHTS: readonly (readonly [Merchant, number])[] = RETAIL_MERCHANTS.map(
  (m) => [m, m.weight] as const,
);

function purchase(
  day: DayContext,
  accountId: string,
  prefix: string,
  merchant: Merchant,
  delay: boolean,
) {
  const { random } = day;
  day.schedule(at(random, 7, 23), [
    {
      accountId,
      creditDebit: 'Debit',
      amountMinor: random.amount(merchant.min, merchant.max),
      category: merchant.category,
      description: `${prefix}-${merchant.name}`,
      merchant: { name: merchant.name, mcc: merchant.mcc },
      valueDelayDays: delay && random.chance(0.35) ? 1 : 0,
    },
  ]);
}

/** A transfer between two of the customer's own accounts: both legs or neither. */
function ownTransfer(
  day: DayContext,
  second: number,
  name: string,
  from: OwnAccount,
  to: OwnAccount,
  amountMinor: number,
  text: { debit: string; credit: string },
  category: 'transfer' | 'card_repayment' = 'transfer',
) {
  day.schedule(second, [
    {
      accountId: from.id,
      creditDebit: 'Debit',
      amountMinor,
      category,
      description: text.debit,
      counterparty: { name, account: to.masked },
    },
    {
      accountId: to.id,
      creditDebit: 'Credit',
      amountMinor,
      category,
      description: text.credit,
      counterparty: { name, account: from.masked },
    },
  ]);
}

/**
 * A salaried household: pay on payday, rent and utilities by direct debit, everyday spending
 * by card and quick pay, a monthly transfer to savings, quarterly interest, and the credit
 * card's statement balance repaid in full from the current account on its due date.
 */
export function retailActivity(profile: RetailProfile): Activity {
  let cardStatementMinor = 0;
  return (day) => {
    const { facts, random, ledger } = day;
    const current = profile.current.id;

    if (facts.dayOfMonth === profile.payday) {
      // A year-end bonus (年终奖) arrives with January's pay.
      const bonusMonths = facts.month === 1 ? random.int(10, 30) / 10 : 0;
      const bonus = wholeYuan(profile.salaryMajor * 100 * bonusMonths);
      const salary =
        wholeYuan(random.amount(profile.salaryMajor * 0.97, profile.salaryMajor * 1.06)) + bonus;
      day.schedule(at(random, 9, 11), [
        {
          accountId: current,
          creditDebit: 'Credit',
          amountMinor: salary,
          category: 'salary',
          description: facts.month === 1 ? '代发工资（含年终奖）' : '代发工资',
          counterparty: {
            name: profile.employer,
            account: maskedCounterpartyAccount(profile.employer),
          },
        },
      ]);
    }

    if (profile.landlord && facts.dayOfMonth === profile.landlord.day) {
      const { name, rentMajor } = profile.landlord;
      day.schedule(at(random, 8, 10), [
        {
          accountId: current,
          creditDebit: 'Debit',
          amountMinor: rentMajor * 100,
          category: 'rent',
          description: `房租-${facts.month}月`,
          counterparty: { name, account: maskedCounterpartyAccount(name) },
        },
      ]);
    }

    // Utilities by direct debit (代扣): power monthly with a summer and winter peak, water
    // every other month, gas and the phone bill monthly.
    if (facts.dayOfMonth === 12) {
      const peak = [1, 2, 7, 8, 12].includes(facts.month) ? 2 : 1;
      day.schedule(at(random, 2, 5), [
        {
          accountId: current,
          creditDebit: 'Debit',
          amountMinor: random.amount(70 * peak, 220 * peak),
          category: 'utilities',
          description: `代扣电费-${STATE_GRID.name}`,
          merchant: STATE_GRID,
        },
      ]);
    }
    if (facts.dayOfMonth === 18 && facts.month % 2 === 0) {
      day.schedule(at(random, 2, 5), [
        {
          accountId: current,
          creditDebit: 'Debit',
          amountMinor: random.amount(40, 130),
          category: 'utilities',
          description: `代扣水费-${profile.water}`,
          counterparty: { name: profile.water, account: maskedCounterpartyAccount(profile.water) },
        },
      ]);
    }
    if (facts.dayOfMonth === 22) {
      day.schedule(at(random, 2, 5), [
        {
          accountId: current,
          creditDebit: 'Debit',
          amountMinor: random.amount(30, 180),
          category: 'utilities',
          description: `代扣燃气费-${profile.gas}`,
          counterparty: { name: profile.gas, account: maskedCounterpartyAccount(profile.gas) },
        },
      ]);
    }
    if (facts.dayOfMonth === 3) {
      day.schedule(at(random, 1, 3), [
        {
          accountId: current,
          creditDebit: 'Debit',
          amountMinor: random.pick([58, 88, 128, 158, 199]) * 100,
          category: 'telecom',
          description: `话费自动缴费-${CHINA_MOBILE.name}`,
          merchant: CHINA_MOBILE,
        },
      ]);
    }

    for (let i = random.count(profile.debitPurchasesPerDay); i > 0; i -= 1) {
      purchase(day, current, '快捷支付', random.weighted(MERCHANT_WEIGHTS), false);
    }

    if (random.chance(0.05)) {
      const friend = random.pick(PEOPLE);
      day.schedule(at(random, 9, 23), [
        {
          accountId: current,
          creditDebit: 'Debit',
          amountMinor: wholeYuan(random.amount(100, 3000)),
          category: 'transfer',
          description: `转账-${friend}`,
          counterparty: { name: friend, account: maskedCounterpartyAccount(friend) },
        },
      ]);
    }
    if (random.chance(0.035)) {
      const friend = random.pick(PEOPLE);
      day.schedule(at(random, 9, 23), [
        {
          accountId: current,
          creditDebit: 'Credit',
          amountMinor: wholeYuan(random.amount(50, 1500)),
          category: 'transfer',
          description: `转账-${friend}`,
          counterparty: { name: friend, account: maskedCounterpartyAccount(friend) },
        },
      ]);
    }
    if (random.chance(0.02)) {
      day.schedule(at(random, 8, 22), [
        {
          accountId: current,
          creditDebit: 'Debit',
          amountMinor: random.int(2, 20) * 100_00,
          category: 'cash_withdrawal',
          description: 'ATM取款',
        },
      ]);
    }

    if (isInterestDay(facts)) {
      // Demand deposits earn interest too, at a token rate.
      const interest = quarterlyInterest(ledger.balance(current), 0.0015);
      day.schedule(at(random, 0.1, 0.5), [
        {
          accountId: current,
          creditDebit: 'Credit',
          amountMinor: interest,
          category: 'interest',
          description: '活期结息',
        },
      ]);
    }

    const { savings, card } = profile;
    if (savings) {
      if (facts.dayOfMonth === (profile.payday % 28) + 1) {
        ownTransfer(
          day,
          at(random, 12, 14),
          profile.name,
          profile.current,
          savings,
          savings.monthlyTransferMajor * 100,
          {
            debit: '转入储蓄账户',
            credit: '工资卡转入',
          },
        );
      }
      if (random.chance(0.008)) {
        ownTransfer(
          day,
          at(random, 10, 20),
          profile.name,
          savings,
          profile.current,
          random.int(2, 20) * 1000_00,
          {
            debit: '转出至活期账户',
            credit: '储蓄账户转入',
          },
        );
      }
      if (isInterestDay(facts)) {
        const interest = quarterlyInterest(ledger.balance(savings.id), savings.annualRate);
        day.schedule(at(random, 0.1, 0.5), [
          {
            accountId: savings.id,
            creditDebit: 'Credit',
            amountMinor: interest,
            category: 'interest',
            description: '储蓄结息',
          },
        ]);
      }
    }

    if (card) {
      for (let i = random.count(profile.cardPurchasesPerDay); i > 0; i -= 1) {
        purchase(day, card.id, '消费', random.weighted(MERCHANT_WEIGHTS), true);
      }
      if (facts.dayOfMonth === 6) {
        for (const merchant of SUBSCRIPTIONS.slice(0, profile.subscriptions)) {
          day.schedule(at(random, 0, 2), [
            {
              accountId: card.id,
              creditDebit: 'Debit',
              amountMinor: merchant.min * 100,
              category: merchant.category,
              description: `自动续费-${merchant.name}`,
              merchant: { name: merchant.name, mcc: merchant.mcc },
            },
          ]);
        }
      }
      if (random.chance(0.015)) {
        const shop = random.pick(RETAIL_MERCHANTS.filter((m) => m.category === 'shopping'));
        day.schedule(at(random, 9, 21), [
          {
            accountId: card.id,
            creditDebit: 'Credit',
            amountMinor: random.amount(30, 600),
            category: 'refund',
            description: `退款-${shop.name}`,
            merchant: { name: shop.name, mcc: shop.mcc },
          },
        ]);
      }
      if (facts.dayOfMonth === card.statementDay) {
        cardStatementMinor = Math.max(0, -ledger.balance(card.id));
      }
      if (facts.dayOfMonth === card.dueDay && cardStatementMinor > 0) {
        // Repay the statement in full; if pay has not covered it, repay what the account holds.
        const amount = Math.min(cardStatementMinor, ledger.balance(current));
        ownTransfer(
          day,
          at(random, 6, 7),
          profile.name,
          profile.current,
          card,
          amount,
          { debit: '信用卡还款', credit: '还款-感谢您按时还款' },
          'card_repayment',
        );
        cardStatementMinor = 0;
      }
    }
  };
}
