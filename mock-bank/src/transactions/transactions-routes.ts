import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Knex } from '@bund/service-kit';
import { ApiError, isoDate, parseParams, parseQuery, z } from '@bund/service-kit';
import { findVisibleAccount } from '../accounts/account-store.js';
import { accountIdParam } from '../accounts/accounts-routes.js';
import { operation } from '../middleware/operation.js';
import { customerOf, requireCustomer } from '../middleware/require-customer.js';
import { sendData } from '../middleware/send-data.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { TransactionFilter } from './transaction-store.js';
import { transactionPage } from './transaction-store.js';
import { transactionResource } from './transaction-view.js';

/** Page size when the caller names none, and the most one page may hold. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

const transactionQuery = {
  fromBookingDate: isoDate.optional(),
  toBookingDate: isoDate.optional(),
  creditDebitIndicator: z
    .enum(['Credit', 'Debit'], { error: 'must be Credit or Debit' })
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_LIMIT, `must be a whole number from 1 to ${MAX_LIMIT}`)
    .optional(),
  cursor: z.string().optional(),
};

/** What a cursor is bound to: the account and the filters, not the page size. */
function cursorScope(filter: TransactionFilter): string {
  return [
    filter.accountId,
    filter.fromBookingDate ?? '',
    filter.toBookingDate ?? '',
    filter.creditDebitIndicator ?? '',
  ].join('|');
}

/** What the transaction route is built from. */
export interface TransactionsRouteDependencies {
  db: Knex;
  gatewayOnly: RequestHandler;
  /** HMAC key of the pagination cursors. */
  cursorKey: string;
}

/** `GET /accounts/{accountId}/transactions`: filtered, keyset-paginated, newest first. */
export function transactionsRouter({
  db,
  gatewayOnly,
  cursorKey,
}: TransactionsRouteDependencies): Router {
  const router = Router();

  router.get(
    '/accounts/:accountId/transactions',
    operation('listAccountTransactions'),
    gatewayOnly,
    requireCustomer,
    async (req, res) => {
      const { accountId } = parseParams(accountIdParam, req.params);
      const query = parseQuery(transactionQuery, req.query);
      if (
        query.fromBookingDate &&
        query.toBookingDate &&
        query.fromBookingDate > query.toBookingDate
      ) {
        throw ApiError.invalidParameter('fromBookingDate', 'must not be after toBookingDate');
      }
      const filter: TransactionFilter = {
        accountId,
        fromBookingDate: query.fromBookingDate,
        toBookingDate: query.toBookingDate,
        creditDebitIndicator: query.creditDebitIndicator,
      };
      const scope = cursorScope(filter);
      const after =
        query.cursor === undefined ? undefined : decodeCursor(cursorKey, scope, query.cursor);
      const account = await findVisibleAccount(db, customerOf(res), accountId);
      const limit = query.limit ?? DEFAULT_LIMIT;
      const { rows, hasMore } = await transactionPage(
        db,
        { ...filter, accountId: account.id },
        limit,
        after,
      );

      const last = rows[rows.length - 1];
      let next: string | undefined;
      if (hasMore && last) {
        const params = new URLSearchParams();
        if (filter.fromBookingDate) params.set('fromBookingDate', filter.fromBookingDate);
        if (filter.toBookingDate) params.set('toBookingDate', filter.toBookingDate);
        if (filter.creditDebitIndicator)
          params.set('creditDebitIndicator', filter.creditDebitIndicator);
        params.set('limit', String(limit));
        params.set(
          'cursor',
          encodeCursor(cursorKey, scope, { bookedAt: last.booked_at, seq: Number(last.seq) }),
        );
        next = `/accounts/${account.id}/transactions?${params.toString()}`;
      }
      sendData(
        res,
        rows.map(transactionResource),
        { self: req.originalUrl, ...(next ? { next } : {}) },
        { count: rows.length },
      );
    },
  );

  return router;
}
