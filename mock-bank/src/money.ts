/**
 * Renders integer minor units as the decimal string the API uses: 123450 → "1234.50",
 * -5 → "-0.05". Integer arithmetic only, so no float rounding can creep in.
 */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An amount as the API shows it. */
export interface Amount {
  amount: string;
  currency: string;
}

/** `minor` (a number, or the string PostgreSQL returns for bigint) in `currency`. */
export function amountOf(minor: number | string, currency: string): Amount {
  return { amount: formatMinor(Number(minor)), currency };
}
