import type { Activity, DayContext } from './activity.js';
import { at, isInterestDay, quarterlyInterest, wholeYuan } from './activity.js';
import type { Category } from './catalogue.js';
import { CHINA_TELECOM, LOGISTICS, STATE_GRID, maskedCounterpartyAccount } from './catalogue.js';
import type { Leg } from './ledger.js';
import type { OwnAccount } from './retail-activity.js';

/** A stream of similar payments in or out: customer receipts, supplier payments. */
export interface FlowPlan {
  perBusinessDay: number;
  perWeekendDay: number;
  minMajor: number;
  maxMajor: number;
  parties: readonly string[];
  /** Statement text before the party's name, e.g. `货款`. */
  text: string;
}

/** One employee on the payroll. */
export interface Employee {
  name: string;
  salaryMajor: number;
}

/** The money habits of one small or medium enterprise. */
export interface SmeProfile {
  name: string;
  /** The basic account: payroll, taxes, rent and most trade run through it. */
  main: OwnAccount;
  /**
   * The second account: a general account with its own trade and a bank loan whose surplus
   * is swept to the main account at month end, or a savings account the surplus is swept into.
   */
  second: OwnAccount &
    (
      | { kind: 'general'; receipts: FlowPlan; payments: FlowPlan; loanInterestMajor: number }
      | {
          kind: 'savings';
          annualRate: number;
          sweepAboveMajor: number;
          keepMajor: number;
          topUpBelowMajor: number;
        }
    );
  receipts: FlowPlan;
  payments: FlowPlan;
  /** Average shipments per business day paid to logistics companies (trading firms only). */
  shipmentsPerBusinessDay: number;
  employees: readonly Employee[];
  payday: number;
  taxOffice: string;
  socialInsuranceOffice: string;
  housingFundOffice: string;
  /** VAT as a share of the previous month's receipts. */
  vatRate: number;
  rent: {
    landlord: string;
    amountMajor: number;
    day: number;
    /** months in which it is due */ months: readonly number[];
  };
  electricityMajor: { min: number; max: number };
}

function partyLeg(
  accountId: string,
  creditDebit: Leg['creditDebit'],
  amountMinor: number,
  category: Category,
  description: string,
  party: string,
): Leg {
  return {
    accountId,
    creditDebit,
    amountMinor,
    category,
    description,
    counterparty: { name: party, account: maskedCounterpartyAccount(party) },
  };
}

/**
 * Books one flow's events for the day; outgoing transfers sometimes carry the online-banking
 * transfer fee (网银转账手续费) as a separate line, as Chinese statements show it.
 */
function flow(
  day: DayContext,
  accountId: string,
  plan: FlowPlan,
  creditDebit: Leg['creditDebit'],
  category: Category,
): number {
  const { facts, random } = day;
  let total = 0;
  const count = random.count(facts.isWeekend ? plan.perWeekendDay : plan.perBusinessDay);
  for (let i = 0; i < count; i += 1) {
    const party = random.pick(plan.parties);
    const amount = random.amount(plan.minMajor, plan.maxMajor);
    const second = facts.isWeekend ? at(random, 10, 16) : at(random, 8.5, 17.5);
    total += amount;
    day.schedule(second, [
      partyLeg(accountId, creditDebit, amount, category, `${plan.text}-${party}`, party),
    ]);
    if (creditDebit === 'Debit' && random.chance(0.55)) {
      day.schedule(second + 1, [
        {
          accountId,
          creditDebit: 'Debit',
          amountMinor: amount > 50_000_00 ? 15_00 : amount > 10_000_00 ? 10_00 : 5_00,
          category: 'fees',
          description: '网银转账手续费',
        },
      ]);
    }
  }
  return total;
}

/**
 * A company's month: trade every business day, payroll per employee on payday, social
 * insurance, housing fund and taxes on the 15th (VAT monthly, corporate income tax quarterly),
 * rent, utilities, bank fees, and the movements between its two accounts.
 */
export function smeActivity(profile: SmeProfile): Activity {
  // Receipts of the month so far and of the last complete month and quarter, for the taxes.
  let receiptsThisMonth = 0;
  let receiptsLastMonth = 0;
  let receiptsThisQuarter = 0;
  let receiptsLastQuarter = 0;
  const main = profile.main.id;
  const second = profile.second;
  const payrollMajor = profile.employees.reduce((sum, e) => sum + e.salaryMajor, 0);

  return (day) => {
    const { facts, random, ledger } = day;
    if (facts.dayOfMonth === 1) {
      receiptsLastMonth = receiptsThisMonth;
      receiptsThisMonth = 0;
      if (facts.month % 3 === 1) {
        receiptsLastQuarter = receiptsThisQuarter;
        receiptsThisQuarter = 0;
      }
      day.schedule(at(random, 0.1, 1), [
        {
          accountId: main,
          creditDebit: 'Debit',
          amountMinor: 100_00,
          category: 'fees',
          description: '账户管理费',
        },
      ]);
      if (facts.month === 1) {
        day.schedule(at(random, 0.1, 1), [
          {
            accountId: main,
            creditDebit: 'Debit',
            amountMinor: 600_00,
            category: 'fees',
            description: '企业网银服务年费',
          },
        ]);
      }
    }

    const received = flow(day, main, profile.receipts, 'Credit', 'sales_receipt');
    receiptsThisMonth += received;
    receiptsThisQuarter += received;
    flow(day, main, profile.payments, 'Debit', 'supplier_payment');

    if (!facts.isWeekend) {
      for (let i = random.count(profile.shipmentsPerBusinessDay); i > 0; i -= 1) {
        const carrier = random.pick(LOGISTICS);
        day.schedule(at(random, 9, 18), [
          {
            accountId: main,
            creditDebit: 'Debit',
            amountMinor: random.amount(200, 6000),
            category: 'logistics',
            description: `物流费-${carrier.name}`,
            merchant: carrier,
          },
        ]);
      }
    }

    if (facts.dayOfMonth === profile.payday) {
      const bonusMonth = facts.month === 1;
      let second = at(random, 9, 10);
      for (const employee of profile.employees) {
        const pay =
          wholeYuan(random.amount(employee.salaryMajor * 0.98, employee.salaryMajor * 1.04)) *
          (bonusMonth ? 2 : 1);
        second += random.int(1, 4);
        day.schedule(second, [
          partyLeg(
            main,
            'Debit',
            pay,
            'payroll',
            bonusMonth ? '代发工资（含年终奖）' : '代发工资',
            employee.name,
          ),
        ]);
      }
    }

    if (facts.dayOfMonth === 15) {
      const payrollMinor = payrollMajor * 100;
      day.schedule(at(random, 9, 10), [
        partyLeg(
          main,
          'Debit',
          Math.round(payrollMinor * 0.265),
          'social_insurance',
          '社会保险费（单位+个人）',
          profile.socialInsuranceOffice,
        ),
      ]);
      day.schedule(at(random, 9, 10), [
        partyLeg(
          main,
          'Debit',
          Math.round(payrollMinor * 0.14),
          'housing_fund',
          '住房公积金',
          profile.housingFundOffice,
        ),
      ]);
      day.schedule(at(random, 10, 11), [
        partyLeg(
          main,
          'Debit',
          Math.round(receiptsLastMonth * profile.vatRate),
          'tax',
          '增值税',
          profile.taxOffice,
        ),
      ]);
      day.schedule(at(random, 10, 11), [
        partyLeg(
          main,
          'Debit',
          Math.round(payrollMinor * 0.06),
          'tax',
          '个人所得税（代扣代缴）',
          profile.taxOffice,
        ),
      ]);
      if (facts.month % 3 === 1) {
        day.schedule(at(random, 10, 11), [
          partyLeg(
            main,
            'Debit',
            Math.round(receiptsLastQuarter * 0.025),
            'tax',
            '企业所得税（季度预缴）',
            profile.taxOffice,
          ),
        ]);
      }
    }

    if (facts.dayOfMonth === profile.rent.day && profile.rent.months.includes(facts.month)) {
      day.schedule(at(random, 9, 11), [
        partyLeg(
          main,
          'Debit',
          profile.rent.amountMajor * 100,
          'rent',
          '房屋租金',
          profile.rent.landlord,
        ),
      ]);
    }
    if (facts.dayOfMonth === 20) {
      day.schedule(at(random, 2, 5), [
        {
          accountId: main,
          creditDebit: 'Debit',
          amountMinor: random.amount(profile.electricityMajor.min, profile.electricityMajor.max),
          category: 'utilities',
          description: `代扣电费-${STATE_GRID.name}`,
          merchant: STATE_GRID,
        },
      ]);
      day.schedule(at(random, 2, 5), [
        {
          accountId: main,
          creditDebit: 'Debit',
          amountMinor: random.pick([1200, 1800, 2600]) * 100,
          category: 'telecom',
          description: `企业宽带-${CHINA_TELECOM.name}`,
          merchant: CHINA_TELECOM,
        },
      ]);
    }

    if (isInterestDay(facts)) {
      day.schedule(at(random, 0.1, 0.5), [
        {
          accountId: main,
          creditDebit: 'Credit',
          amountMinor: quarterlyInterest(ledger.balance(main), 0.002),
          category: 'interest',
          description: '单位活期结息',
        },
      ]);
    }

    const transfer = (from: OwnAccount, to: OwnAccount, amountMinor: number, text: string) =>
      day.schedule(at(random, 16, 17), [
        {
          accountId: from.id,
          creditDebit: 'Debit',
          amountMinor,
          category: 'transfer',
          description: text,
          counterparty: { name: profile.name, account: to.masked },
        },
        {
          accountId: to.id,
          creditDebit: 'Credit',
          amountMinor,
          category: 'transfer',
          description: text,
          counterparty: { name: profile.name, account: from.masked },
        },
      ]);

    if (second.kind === 'general') {
      flow(day, second.id, second.receipts, 'Credit', 'sales_receipt');
      flow(day, second.id, second.payments, 'Debit', 'supplier_payment');
      if (facts.dayOfMonth === 21) {
        day.schedule(at(random, 8, 9), [
          {
            accountId: second.id,
            creditDebit: 'Debit',
            amountMinor: wholeYuan(
              random.amount(second.loanInterestMajor * 0.95, second.loanInterestMajor * 1.05),
            ),
            category: 'loan_interest',
            description: '流动资金贷款利息',
          },
        ]);
      }
      if (facts.isMonthEnd && ledger.balance(second.id) > 800_000_00) {
        transfer(
          second,
          profile.main,
          wholeYuan(ledger.balance(second.id) - 500_000_00),
          '资金归集',
        );
      }
    } else {
      const balance = ledger.balance(main);
      if (facts.dayOfMonth === 25 && balance > second.sweepAboveMajor * 100) {
        transfer(
          profile.main,
          second,
          Math.floor((balance - second.keepMajor * 100) / 10_000_00) * 10_000_00,
          '转存协定存款',
        );
      } else if (!facts.isWeekend && balance < second.topUpBelowMajor * 100) {
        transfer(second, profile.main, 500_000_00, '协定存款支取');
      }
      if (isInterestDay(facts)) {
        day.schedule(at(random, 0.1, 0.5), [
          {
            accountId: second.id,
            creditDebit: 'Credit',
            amountMinor: quarterlyInterest(ledger.balance(second.id), second.annualRate),
            category: 'interest',
            description: '协定存款结息',
          },
        ]);
      }
    }
  };
}
