import type { NumberKind } from './account-plan.js';
import type { SeededRandom } from './random.js';

/** The Luhn check digit that makes `digits` + it a valid card number. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // Double every second digit counting from the right of the final number (check digit included).
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** UnionPay-style issuer prefixes of the demo bank (fictional, but shaped like real ones). */
const PREFIX: Record<NumberKind, string> = {
  personal: '621797',
  card: '625906',
  business: '3101',
};

/**
 * A realistic account number: 19 digits with a Luhn check digit for debit and credit cards
 * (China's card format), 15 digits with a branch prefix for business accounts.
 */
export function accountNumber(kind: NumberKind, random: SeededRandom): string {
  if (kind === 'business') return PREFIX.business + random.digits(11);
  const body = PREFIX[kind] + random.digits(12);
  return body + luhnCheckDigit(body);
}

/** What a statement shows instead of the full number: `**** 0123`. */
export function maskAccountNumber(identification: string): string {
  return `**** ${identification.slice(-4)}`;
}
