import { ApiError, z } from '@bund/service-kit';
import { isMonth } from '../calendar.js';

/** A query parameter holding a month `YYYY-MM`. */
export const monthParam = z
  .string()
  .refine(isMonth, 'must be a month as YYYY-MM (01–12)')
  .optional();

/** Refuses a range that ends before it starts, naming `fromMonth`. */
export function checkMonthRange(range: { fromMonth?: string; toMonth?: string }): void {
  if (range.fromMonth && range.toMonth && range.fromMonth > range.toMonth) {
    throw ApiError.invalidParameter(
      'fromMonth',
      `must not be after toMonth (${range.fromMonth} > ${range.toMonth})`,
    );
  }
}
