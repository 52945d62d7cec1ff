import { ApiError } from '@bund/service-kit';
import { checkCreditCode } from '../credit-code.js';

/**
 * The `creditCode` path parameter, checked against GB 32100: a malformed code is a 400 that
 * names the parameter and says what is wrong with it, before any lookup.
 */
export function parseCreditCode(params: Record<string, string | string[] | undefined>): string {
  const value = params.creditCode;
  if (typeof value !== 'string') throw ApiError.invalidParameter('creditCode', 'is required');
  const check = checkCreditCode(value);
  if (!check.valid) throw ApiError.invalidParameter('creditCode', check.reason);
  return value;
}
