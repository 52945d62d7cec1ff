import { DEMO_CUSTOMERS, DEMO_PASSWORD } from '@bund/service-kit';
import { hashPassword } from '../customers/password-hash.js';
import type { AccountRow, CustomerRow, TransactionRow } from '../db/rows.js';
import type { DayContext } from './activity.js';
import { ACCOUNT_PLANS } from './account-plan.js';
import { accountNumber, maskAccountNumber } from './account-number.js';
import { addDays, chinaDateTime, dayFacts, daysBetween, subtractMonths } from './calendar.js';
import { demoActivities } from './demo-profiles.js';
import type { Leg } from './ledger.js';
import { Ledger } from './ledger.js';
import { SeededRandom } from './random.js';

/** Everything the seed writes. */
export interface SeedData {
  customers: CustomerRow[];
  accounts: AccountRow[];
  transactions: TransactionRow[];
}

/** What the generated data is a function of. */
export interface SeedOptions {
  /** PRNG seed. */
  seed: number;
  /** "Today" (`YYYY-MM-DD`): transactions cover the 24 months before it. */
  anchorDate: string;
}

/** The first day of the seeded window: 24 months before the anchor. */
export function windowStart(anchorDate: string): string {
  return subtractMonths(anchorDate, 24);
}

/** The public id of the transaction booked `seq`-th: `txn-00000042`. */
export function transactionId(seq: number): string {
  return `txn-${String(seq).padStart(8, '0')}`;
}

/**
 * Generates the demo bank: customers with scrypt password hashes, their accounts, and 24
 * months of transactions simulated day by day with running balances. Pure function of
 * `seed` and `anchorDate`: every draw comes from one seeded PRNG in a fixed order.
 */
export async function generateSeedData({ seed, anchorDate }: SeedOptions): Promise<SeedData> {
  const random = new SeededRandom(seed);
  const start = windowStart(anchorDate);

  const salts = DEMO_CUSTOMERS.map(() => random.bytes(16));
  // scrypt runs on the thread pool while the simulation below runs here.
  const hashes = Promise.all(salts.map((salt) => hashPassword(DEMO_PASSWORD, salt)));

  const identifications = new Set<string>();
  const accounts: AccountRow[] = ACCOUNT_PLANS.map((plan) => {
    let identification = accountNumber(plan.numberKind, random);
    while (identifications.has(identification))
      identification = accountNumber(plan.numberKind, random);
    identifications.add(identification);
    return {
      id: plan.id,
      customer_id: plan.customerId,
      position: plan.position,
      type: plan.type,
      currency: plan.currency,
      nickname_zh: plan.nickname.zh,
      nickname_en: plan.nickname.en,
      product_zh: plan.product.zh,
      product_en: plan.product.en,
      identification,
      opened_date: addDays(start, -random.int(120, 3650)),
      status: 'Enabled',
      credit_limit_minor: plan.creditLimitMinor ?? null,
    };
  });
  const own = (accountId: string) => {
    const account = accounts.find((a) => a.id === accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    return { id: account.id, masked: maskAccountNumber(account.identification) };
  };

  const ledger = new Ledger(ACCOUNT_PLANS);
  for (const plan of ACCOUNT_PLANS) {
    if (plan.openingMajor <= 0) continue;
    ledger.post({
      at: chinaDateTime(start, 0),
      legs: [
        {
          accountId: plan.id,
          creditDebit: 'Credit',
          amountMinor: plan.openingMajor * 100,
          category: 'opening_balance',
          description: '承前余额',
        },
      ],
    });
  }

  const activities = demoActivities(random, own);
  for (const day of daysBetween(start, anchorDate)) {
    const scheduled: { second: number; legs: Leg[] }[] = [];
    const context: DayContext = {
      facts: dayFacts(day),
      random,
      ledger,
      schedule: (second, legs) => scheduled.push({ second, legs }),
    };
    for (const activity of activities) activity(context);
    // Array.prototype.sort is stable: events at the same second keep their generation order.
    scheduled.sort((a, b) => a.second - b.second);
    for (const event of scheduled)
      ledger.post({ at: chinaDateTime(day, event.second), legs: event.legs });
  }

  const transactions: TransactionRow[] = ledger.booked.map((t, index) => ({
    seq: index + 1,
    id: transactionId(index + 1),
    account_id: t.accountId,
    booked_at: t.bookedAt,
    value_date: t.valueDate,
    amount_minor: t.amountMinor,
    currency: t.currency,
    credit_debit: t.creditDebit,
    status: 'Booked',
    category: t.category,
    description: t.description,
    merchant_name: t.merchant?.name ?? null,
    merchant_mcc: t.merchant?.mcc ?? null,
    counterparty_name: t.counterparty?.name ?? null,
    counterparty_account: t.counterparty?.account ?? null,
    balance_after_minor: t.balanceAfterMinor,
  }));

  const passwordHashes = await hashes;
  const customers: CustomerRow[] = DEMO_CUSTOMERS.map((customer, index) => ({
    id: customer.id,
    username: customer.username,
    kind: customer.kind,
    name_zh: customer.nameZh,
    name_en: customer.nameEn,
    credit_code: customer.creditCode ?? null,
    password_hash: passwordHashes[index]!,
  }));

  return { customers, accounts, transactions };
}
