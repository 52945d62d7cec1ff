/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters, made of the
 * registration authority (1), the entity type (2), the administrative region code (3–8), the
 * organisation code with its own GB 11714 check digit (9–17) and a check character (18).
 */

/** The 31 characters a credit code may use: digits and capitals without I, O, S, V, Z. */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1–17 for the check character (3^(i) mod 31). */
const CHECK_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Weights of the eight organisation-code body characters (GB 11714). */
const ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Why a string is not a valid credit code; stable, so callers can switch on it. */
export type CreditCodeProblem =
  'length' | 'character' | 'region_code' | 'organisation_code_check' | 'check_character';

/** The outcome of {@link checkCreditCode}: valid, or the first problem found and its wording. */
export type CreditCodeCheck =
  { valid: true } | { valid: false; problem: CreditCodeProblem; reason: string };

/** GB 11714 value of an organisation-code character: digits as is, A = 10 … Z = 35. */
function organisationValue(char: string): number {
  const code = char.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55;
}

/**
 * The GB 11714 check digit of an organisation-code body (8 characters): 11 − (weighted sum
 * mod 11), where 10 is written `X` and 11 is written `0`.
 */
export function organisationCheckDigit(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body))
    throw new Error('an organisation-code body is 8 digits or capitals');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += organisationValue(body[i]!) * ORGANISATION_WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

/** The check character (position 18) of the first 17 characters of a credit code. */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new Error('the check character covers exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const index = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (index < 0) throw new Error(`"${first17[i]}" is not a credit-code character`);
    sum += index * CHECK_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

/**
 * Checks `code` against GB 32100-2015 and says why it fails: wrong length, a character outside
 * the charset, a non-digit region code, a wrong organisation-code check digit, or a wrong check
 * character, in that order. Lower case is not accepted: codes are printed in capitals.
 */
export function checkCreditCode(code: string): CreditCodeCheck {
  if (code.length !== 18) {
    return {
      valid: false,
      problem: 'length',
      reason: `must be 18 characters, got ${code.length}`,
    };
  }
  for (let i = 0; i < 18; i++) {
    if (!CREDIT_CODE_CHARSET.includes(code[i]!)) {
      return {
        valid: false,
        problem: 'character',
        reason: `character ${i + 1} ("${code[i]}") is not one of ${CREDIT_CODE_CHARSET}`,
      };
    }
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) {
    return {
      valid: false,
      problem: 'region_code',
      reason: 'characters 3–8 (the region code) must be digits',
    };
  }
  const organisation = code.slice(8, 17);
  const expectedDigit = organisationCheckDigit(organisation.slice(0, 8));
  if (organisation[8] !== expectedDigit) {
    return {
      valid: false,
      problem: 'organisation_code_check',
      reason: `the organisation code ${organisation} fails its GB 11714 check digit`,
    };
  }
  if (code[17] !== creditCodeCheckCharacter(code.slice(0, 17))) {
    return {
      valid: false,
      problem: 'check_character',
      reason: 'the check character (18th) is wrong',
    };
  }
  return { valid: true };
}

/** True when `code` is a valid unified social credit code. */
export function isValidCreditCode(code: string): boolean {
  return checkCreditCode(code).valid;
}

/** What a generated credit code is made of; the check characters are computed. */
export interface CreditCodeParts {
  /** Position 1; `9` is the market-regulation (industry and commerce) authority. */
  registrationAuthority?: string;
  /** Position 2; `1` is an enterprise under authority `9`. */
  entityType?: string;
  /** Positions 3–8: the GB/T 2260 administrative region code, six digits. */
  regionCode: string;
  /** The first eight characters of the organisation code, from {@link CREDIT_CODE_CHARSET}. */
  organisationBody: string;
}

/**
 * Builds a valid credit code from its parts, computing both check characters. The seed uses it
 * for enterprises it invents, so every code it stores passes {@link checkCreditCode}.
 */
export function generateCreditCode({
  registrationAuthority = '9',
  entityType = '1',
  regionCode,
  organisationBody,
}: CreditCodeParts): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error('a region code is six digits');
  const prefix = `${registrationAuthority}${entityType}${regionCode}${organisationBody}`;
  if (prefix.length !== 16 || [...prefix].some((c) => !CREDIT_CODE_CHARSET.includes(c))) {
    throw new Error('credit-code parts must be 16 characters from the credit-code charset');
  }
  const first17 = `${prefix}${organisationCheckDigit(organisationBody)}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}
