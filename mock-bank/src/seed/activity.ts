import type { DayFacts } from './calendar.js';
import type { Leg, Ledger } from './ledger.js';
import type { SeededRandom } from './random.js';

/** What an activity sees of one simulated day, and how it books events in it. */
export interface DayContext {
  facts: DayFacts;
  random: SeededRandom;
  /** Balances as they stand before the day's events (read-only use). */
  ledger: Pick<Ledger, 'balance'>;
  /** Books `legs` at `secondOfDay` China time, after ordering the day's events by time. */
  schedule(secondOfDay: number, legs: Leg[]): void;
}

/** The money habits of one customer: called once per day, in date order. */
export type Activity = (day: DayContext) => void;

/** A random second between two hours of the day, e.g. `at(random, 8.5, 17.5)`. */
export function at(random: SeededRandom, fromHour: number, toHour: number): number {
  return random.int(Math.round(fromHour * 3600), Math.round(toHour * 3600) - 1);
}

/** `amountMinor` rounded to whole yuan, the way salaries and rents are agreed. */
export function wholeYuan(amountMinor: number): number {
  return Math.round(amountMinor / 100) * 100;
}

/** True on the 21st of March, June, September and December, when Chinese banks pay interest. */
export function isInterestDay(facts: DayFacts): boolean {
  return facts.dayOfMonth === 21 && facts.month % 3 === 0;
}

/** One quarter's interest on `balanceMinor` at `annualRate`, never negative. */
export function quarterlyInterest(balanceMinor: number, annualRate: number): number {
  return Math.max(0, Math.round((balanceMinor * annualRate) / 4));
}
