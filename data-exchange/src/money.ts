/** The one currency of the data exchange's records. */
export const CURRENCY = 'CNY';

/** An amount as the API shows it: a decimal string (never a float) and its currency. */
export interface Money {
  amount: string;
  currency: typeof CURRENCY;
}

/**
 * Renders integer minor units (fen) as a decimal string, `123450` → `"1234.50"`. PostgreSQL
 * returns `bigint` columns as strings, so both forms are accepted.
 */
export function formatMinor(minor: number | string | bigint): string {
  const value = BigInt(minor);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

/** Minor units as {@link Money} in {@link CURRENCY}. */
export function money(minor: number | string | bigint): Money {
  return { amount: formatMinor(minor), currency: CURRENCY };
}
