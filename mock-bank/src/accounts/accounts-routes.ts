import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Knex } from '@bund/service-kit';
import { parseParams, parseQuery, z } from '@bund/service-kit';
import { operation } from '../middleware/operation.js';
import { customerOf, requireCustomer } from '../middleware/require-customer.js';
import { sendData } from '../middleware/send-data.js';
import { amountOf } from '../money.js';
import { CHINA_OFFSET } from '../seed/calendar.js';
import { ACCOUNT_ID_PATTERN } from './account-id.js';
import { bookedBalance, findVisibleAccount, visibleAccounts } from './account-store.js';
import { accountResource } from './account-view.js';

/** The `accountId` path parameter, refused with a 400 naming it when malformed. */
export const accountIdParam = {
  accountId: z.string().regex(ACCOUNT_ID_PATTERN, 'must be an account id like acc-0001-01'),
};

/** What the account routes are built from. */
export interface AccountsRouteDependencies {
  db: Knex;
  /** Refuses every caller but the gateway. */
  gatewayOnly: RequestHandler;
}

/** `GET /accounts`, `GET /accounts/{accountId}` and `GET /accounts/{accountId}/balances`. */
export function accountsRouter({ db, gatewayOnly }: AccountsRouteDependencies): Router {
  const router = Router();

  router.get(
    '/accounts',
    operation('listAccounts'),
    gatewayOnly,
    requireCustomer,
    async (req, res) => {
      parseQuery({}, req.query);
      const accounts = await visibleAccounts(db, customerOf(res));
      sendData(
        res,
        accounts.map(accountResource),
        { self: req.originalUrl },
        { count: accounts.length },
      );
    },
  );

  router.get(
    '/accounts/:accountId',
    operation('getAccount'),
    gatewayOnly,
    requireCustomer,
    async (req, res) => {
      const { accountId } = parseParams(accountIdParam, req.params);
      parseQuery({}, req.query);
      const account = await findVisibleAccount(db, customerOf(res), accountId);
      sendData(res, accountResource(account), { self: req.originalUrl });
    },
  );

  router.get(
    '/accounts/:accountId/balances',
    operation('getAccountBalances'),
    gatewayOnly,
    requireCustomer,
    async (req, res) => {
      const { accountId } = parseParams(accountIdParam, req.params);
      parseQuery({}, req.query);
      const account = await findVisibleAccount(db, customerOf(res), accountId);
      const { balanceMinor, lastBookedAt } = await bookedBalance(db, account.id);
      // A card's available amount is what is left of its limit.
      const availableMinor = balanceMinor + Number(account.credit_limit_minor ?? 0);
      const dateTime = lastBookedAt ?? `${account.opened_date}T00:00:00${CHINA_OFFSET}`;
      sendData(
        res,
        {
          accountId: account.id,
          balances: [
            { type: 'closingBooked', amount: amountOf(balanceMinor, account.currency), dateTime },
            {
              type: 'interimAvailable',
              amount: amountOf(availableMinor, account.currency),
              dateTime,
            },
          ],
        },
        { self: req.originalUrl },
      );
    },
  );

  return router;
}
