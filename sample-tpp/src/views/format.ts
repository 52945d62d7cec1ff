/**
 * Money as a customer reads it: "¥12,345.67". The amount stays a decimal string (never a float),
 * so no cent is lost however large it is.
 */
export function money(value: { amount: string; currency: string }): string {
  return new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: value.currency,
    currencyDisplay: 'narrowSymbol',
  }).format(value.amount as `${number}`);
}

/** A compact amount for chart labels: "¥1.2m", "¥830k". */
export function compactMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(amount);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CHINA = 8 * 3600_000;

/** "24 Nov 2026" in China time (the bank's), from a date or a date-time. */
export function date(value: string): string {
  const d = new Date(value.length === 10 ? `${value}T12:00:00+08:00` : value);
  const china = new Date(d.getTime() + CHINA);
  return `${china.getUTCDate()} ${MONTHS[china.getUTCMonth()]} ${china.getUTCFullYear()}`;
}

/** "14:05" China time. */
export function time(value: Date): string {
  return new Date(value.getTime() + CHINA).toISOString().slice(11, 16);
}

/** "Nov 2026" from "2026-11". */
export function month(value: string): string {
  const [year, m] = value.split('-');
  return `${MONTHS[Number(m) - 1]} ${year}`;
}

/** "food_delivery" → "Food delivery". */
export function words(code: string): string {
  const text = code.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
