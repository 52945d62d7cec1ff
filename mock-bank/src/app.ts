import type { Express } from 'express';
import type { HttpMetrics, Knex, Logger } from '@bund/service-kit';
import {
  createServiceApp,
  databaseCheck,
  finishServiceApp,
  requireInternalCredential,
} from '@bund/service-kit';
import { accountsRouter } from './accounts/accounts-routes.js';
import { customerRouter } from './customers/customer-routes.js';
import { transactionsRouter } from './transactions/transactions-routes.js';

/** What the mock bank's app is built from. */
export interface AppDependencies {
  db: Knex;
  logger: Logger;
  metrics: HttpMetrics;
  /** The only credential accepted on the resource API. */
  gatewayCredential: string;
  /** The only credential accepted on the internal customer API. */
  consentServiceCredential: string;
  /** HMAC key of the transaction-list cursors. */
  cursorKey: string;
  /** scrypt hash that unknown usernames are checked against (equal timing). */
  dummyHash: string;
  isShuttingDown?: () => boolean;
}

/**
 * The mock bank's express app: the shared service parts, the resource API (gateway only) and
 * the internal customer API (consent service only). Never listens; index.ts and tests do.
 */
export function createApp(deps: AppDependencies): Express {
  const app = createServiceApp({
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: { database: databaseCheck(deps.db) },
    isShuttingDown: deps.isShuttingDown,
  });
  // Each credential opens one API only: a leaked consent-service credential reads no accounts.
  const gatewayOnly = requireInternalCredential([deps.gatewayCredential]);
  const consentServiceOnly = requireInternalCredential([deps.consentServiceCredential]);
  app.use(accountsRouter({ db: deps.db, gatewayOnly }));
  app.use(transactionsRouter({ db: deps.db, gatewayOnly, cursorKey: deps.cursorKey }));
  app.use(customerRouter({ db: deps.db, consentServiceOnly, dummyHash: deps.dummyHash }));
  return finishServiceApp(app, deps.logger);
}
