import type { Activity } from './activity.js';
import { at, isInterestDay, quarterlyInterest } from './activity.js';
import {
  GIVEN_NAMES,
  HEFENG_BUYERS,
  HEFENG_SUPPLIERS,
  MINGYUAN_CLIENTS,
  MINGYUAN_SUPPLIERS,
  SURNAMES,
} from './catalogue.js';
import type { SeededRandom } from './random.js';
import type { OwnAccount } from './retail-activity.js';
import { retailActivity } from './retail-activity.js';
import type { Employee } from './sme-activity.js';
import { smeActivity } from './sme-activity.js';

/** `count` distinct employee names with salaries between `minMajor` and `maxMajor` yuan. */
function staff(
  random: SeededRandom,
  count: number,
  minMajor: number,
  maxMajor: number,
): Employee[] {
  const names = new Set<string>();
  while (names.size < count) names.add(random.pick(SURNAMES) + random.pick(GIVEN_NAMES));
  return [...names].map((name) => ({
    name,
    salaryMajor: Math.round(random.amount(minMajor, maxMajor) / 10_000) * 100,
  }));
}

/**
 * The money habits of every demo customer, in a fixed order (the order is part of the seed).
 * `own` gives each account's id and masked number as counterparties see them.
 */
export function demoActivities(
  random: SeededRandom,
  own: (accountId: string) => OwnAccount,
): Activity[] {
  return [
    retailActivity({
      name: '张伟',
      current: own('acc-0001-01'),
      savings: { ...own('acc-0001-02'), annualRate: 0.0135, monthlyTransferMajor: 4000 },
      card: { ...own('acc-0001-03'), statementDay: 8, dueDay: 27 },
      employer: '上海明远科技有限公司',
      salaryMajor: 23_500,
      payday: 10,
      landlord: { name: '刘建国', rentMajor: 6800, day: 1 },
      water: '上海城投水务（集团）有限公司',
      gas: '上海燃气有限公司',
      debitPurchasesPerDay: 0.7,
      cardPurchasesPerDay: 1.9,
      subscriptions: 2,
    }),
    retailActivity({
      name: '李娜',
      current: own('acc-0002-01'),
      card: { ...own('acc-0002-02'), statementDay: 15, dueDay: 5 },
      employer: '北京华信管理咨询有限公司',
      salaryMajor: 19_800,
      payday: 15,
      landlord: { name: '北京链家房地产经纪有限公司', rentMajor: 5200, day: 5 },
      water: '北京市自来水集团有限责任公司',
      gas: '北京市燃气集团有限责任公司',
      debitPurchasesPerDay: 0.9,
      cardPurchasesPerDay: 1.6,
      subscriptions: 3,
    }),
    retailActivity({
      name: '王芳',
      current: own('acc-0003-01'),
      savings: { ...own('acc-0003-02'), annualRate: 0.0135, monthlyTransferMajor: 2500 },
      employer: '杭州市文澜中学',
      salaryMajor: 12_600,
      payday: 5,
      water: '杭州市水务集团有限公司',
      gas: '杭州市燃气集团有限公司',
      debitPurchasesPerDay: 2.1,
      cardPurchasesPerDay: 0,
      subscriptions: 0,
    }),
    retailActivity({
      name: '陈杰',
      current: own('acc-0004-01'),
      card: { ...own('acc-0004-03'), statementDay: 20, dueDay: 10 },
      employer: '深圳禾丰贸易有限公司',
      salaryMajor: 28_000,
      payday: 5,
      landlord: { name: '深圳市万科物业服务有限公司', rentMajor: 7500, day: 3 },
      water: '深圳市水务（集团）有限公司',
      gas: '深圳市燃气集团股份有限公司',
      debitPurchasesPerDay: 0.8,
      cardPurchasesPerDay: 2.2,
      subscriptions: 1,
    }),
    usdSavingsActivity(own('acc-0004-02')),
    smeActivity({
      name: '上海明远科技有限公司',
      main: own('acc-0101-01'),
      second: {
        ...own('acc-0101-02'),
        kind: 'general',
        receipts: {
          perBusinessDay: 1.3,
          perWeekendDay: 0,
          minMajor: 10_000,
          maxMajor: 150_000,
          parties: MINGYUAN_CLIENTS,
          text: '项目款',
        },
        payments: {
          perBusinessDay: 1.3,
          perWeekendDay: 0,
          minMajor: 5_000,
          maxMajor: 90_000,
          parties: MINGYUAN_SUPPLIERS,
          text: '采购付款',
        },
        loanInterestMajor: 18_000,
      },
      receipts: {
        perBusinessDay: 6.5,
        perWeekendDay: 0.3,
        minMajor: 2_000,
        maxMajor: 60_000,
        parties: MINGYUAN_CLIENTS,
        text: '技术服务费',
      },
      payments: {
        perBusinessDay: 4,
        perWeekendDay: 0,
        minMajor: 1_000,
        maxMajor: 50_000,
        parties: MINGYUAN_SUPPLIERS,
        text: '服务费',
      },
      shipmentsPerBusinessDay: 0,
      employees: staff(random, 38, 9_000, 42_000),
      payday: 10,
      taxOffice: '国家税务总局上海市浦东新区税务局',
      socialInsuranceOffice: '上海市社会保险事业管理中心',
      housingFundOffice: '上海市公积金管理中心',
      vatRate: 0.06,
      rent: {
        landlord: '上海张江高科技园区开发股份有限公司',
        amountMajor: 360_000,
        day: 5,
        months: [1, 4, 7, 10],
      },
      electricityMajor: { min: 8_000, max: 18_000 },
    }),
    smeActivity({
      name: '深圳禾丰贸易有限公司',
      main: own('acc-0102-01'),
      second: {
        ...own('acc-0102-02'),
        kind: 'savings',
        annualRate: 0.0115,
        sweepAboveMajor: 1_200_000,
        keepMajor: 900_000,
        topUpBelowMajor: 300_000,
      },
      receipts: {
        perBusinessDay: 9,
        perWeekendDay: 2.5,
        minMajor: 500,
        maxMajor: 40_000,
        parties: HEFENG_BUYERS,
        text: '货款',
      },
      payments: {
        perBusinessDay: 5,
        perWeekendDay: 0.5,
        minMajor: 1_000,
        maxMajor: 45_000,
        parties: HEFENG_SUPPLIERS,
        text: '采购货款',
      },
      shipmentsPerBusinessDay: 1.6,
      employees: staff(random, 16, 6_000, 18_000),
      payday: 5,
      taxOffice: '国家税务总局深圳市福田区税务局',
      socialInsuranceOffice: '深圳市社会保险基金管理局',
      housingFundOffice: '深圳市住房公积金管理中心',
      vatRate: 0.035,
      rent: {
        landlord: '深圳市福田保税区物业管理有限公司',
        amountMajor: 45_000,
        day: 1,
        months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      },
      electricityMajor: { min: 3_000, max: 9_000 },
    }),
  ];
}

/**
 * chenjie's USD savings: remittances from family abroad now and then, occasional outward
 * payments, and quarterly interest.
 */
function usdSavingsActivity(account: OwnAccount): Activity {
  return ({ facts, random, ledger, schedule }) => {
    if (random.chance(0.03)) {
      schedule(at(random, 9, 16), [
        {
          accountId: account.id,
          creditDebit: 'Credit',
          amountMinor: random.int(3, 40) * 100_00,
          category: 'transfer',
          description: '境外汇入汇款',
          counterparty: { name: 'CHEN MING', account: '**** 7781' },
          valueDelayDays: 1,
        },
      ]);
    }
    if (random.chance(0.01)) {
      schedule(at(random, 9, 16), [
        {
          accountId: account.id,
          creditDebit: 'Debit',
          amountMinor: random.int(5, 30) * 100_00,
          category: 'transfer',
          description: '境外汇款-学费',
          counterparty: { name: 'UNIVERSITY OF MELBOURNE', account: '**** 2210' },
        },
      ]);
    }
    if (isInterestDay(facts)) {
      schedule(at(random, 0.1, 0.5), [
        {
          accountId: account.id,
          creditDebit: 'Credit',
          amountMinor: quarterlyInterest(ledger.balance(account.id), 0.0035),
          category: 'interest',
          description: '外币储蓄结息',
        },
      ]);
    }
  };
}
