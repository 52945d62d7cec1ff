import type { Knex } from '@bund/service-kit';
import type { TransactionRow } from '../db/rows.js';
import { addDays } from '../seed/calendar.js';
import type { CursorPosition } from './cursor.js';

/** Which transactions of one account a page lists. */
export interface TransactionFilter {
  accountId: string;
  /** Inclusive booking dates, `YYYY-MM-DD` (China time, like the booking times). */
  fromBookingDate?: string;
  toBookingDate?: string;
  creditDebitIndicator?: 'Credit' | 'Debit';
}

/**
 * One page of an account's transactions, newest first (booking time, then id, descending),
 * starting after `after`. Keyset pagination: no OFFSET, so deep pages cost what the first does
 * and a page never repeats or skips rows when earlier pages were read at another time.
 * Returns up to `limit` rows and whether more follow.
 */
export async function transactionPage(
  db: Knex,
  filter: TransactionFilter,
  limit: number,
  after?: CursorPosition,
): Promise<{ rows: TransactionRow[]; hasMore: boolean }> {
  const query = db<TransactionRow>('transactions').where('account_id', filter.accountId);
  // Booking times are ISO strings with one fixed offset: text order is time order, and a bare
  // date sorts before every time of that day.
  if (filter.fromBookingDate) query.where('booked_at', '>=', filter.fromBookingDate);
  if (filter.toBookingDate) query.where('booked_at', '<', addDays(filter.toBookingDate, 1));
  if (filter.creditDebitIndicator) query.where('credit_debit', filter.creditDebitIndicator);
  if (after) {
    query.where((older) =>
      older
        .where('booked_at', '<', after.bookedAt)
        .orWhere((same) =>
          same.where('booked_at', '=', after.bookedAt).andWhere('seq', '<', after.seq),
        ),
    );
  }
  const rows = await query
    .orderBy([
      { column: 'booked_at', order: 'desc' },
      { column: 'seq', order: 'desc' },
    ])
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}
