import type { AccountPlan } from './account-plan.js';
import type { Category } from './catalogue.js';
import { addDays } from './calendar.js';

/** One side of a booking on one of the bank's own accounts. */
export interface Leg {
  accountId: string;
  creditDebit: 'Credit' | 'Debit';
  /** Positive, in minor units. */
  amountMinor: number;
  category: Category;
  description: string;
  merchant?: { name: string; mcc: string };
  counterparty?: { name: string; account?: string };
  /** The value date trails the booking by this many days (card clearing, weekend transfers). */
  valueDelayDays?: number;
}

/** One business event: one leg, or two for a transfer between the bank's own accounts. */
export interface LedgerEvent {
  /** Booking date-time, ISO with the China offset. */
  at: string;
  legs: Leg[];
}

/** A booked transaction, ready to become a row once it has its sequence number. */
export interface BookedTransaction extends Leg {
  bookedAt: string;
  valueDate: string;
  currency: string;
  balanceAfterMinor: number;
}

/**
 * Books events in time order and keeps running balances. An event whose debit would take a
 * current or savings account below zero, or a card past its limit, is skipped as a whole (a
 * transfer never books one leg only), so every balance equals the sum of its transactions.
 */
export class Ledger {
  private readonly balances = new Map<string, number>();
  private readonly accounts = new Map<string, AccountPlan>();
  readonly booked: BookedTransaction[] = [];

  constructor(plans: readonly AccountPlan[]) {
    for (const plan of plans) {
      this.accounts.set(plan.id, plan);
      this.balances.set(plan.id, 0);
    }
  }

  /** The running balance of `accountId` in minor units (negative for a card in use). */
  balance(accountId: string): number {
    return this.balances.get(accountId) ?? 0;
  }

  /** Books `event` if every debit is covered; returns whether it was booked. */
  post(event: LedgerEvent): boolean {
    for (const leg of event.legs) {
      if (leg.amountMinor <= 0) return false;
      if (leg.creditDebit === 'Debit' && !this.covers(leg.accountId, leg.amountMinor)) return false;
    }
    for (const leg of event.legs) {
      const account = this.account(leg.accountId);
      const signed = leg.creditDebit === 'Credit' ? leg.amountMinor : -leg.amountMinor;
      const balance = this.balance(leg.accountId) + signed;
      this.balances.set(leg.accountId, balance);
      const day = event.at.slice(0, 10);
      this.booked.push({
        ...leg,
        bookedAt: event.at,
        valueDate: leg.valueDelayDays ? addDays(day, leg.valueDelayDays) : day,
        currency: account.currency,
        balanceAfterMinor: balance,
      });
    }
    return true;
  }

  private covers(accountId: string, amountMinor: number): boolean {
    const account = this.account(accountId);
    const floor = account.type === 'credit_card' ? -(account.creditLimitMinor ?? 0) : 0;
    return this.balance(accountId) - amountMinor >= floor;
  }

  private account(accountId: string): AccountPlan {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`the seed books on unknown account ${accountId}`);
    return account;
  }
}
