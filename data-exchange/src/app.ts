import { createServiceApp, databaseCheck, finishServiceApp } from '@bund/service-kit';
import type { HttpMetrics, Knex, Logger } from '@bund/service-kit';
import type { Express } from 'express';
import { enterpriseRoutes } from './enterprises/enterprise-routes.js';
import { creditSummaryRoutes } from './individuals/credit-summary-routes.js';
import type { SeedRun } from './seed/seed-database.js';

/** What the app is built from; {@link buildDataExchange} in build.ts assembles it. */
export interface AppDependencies {
  db: Knex;
  logger: Logger;
  metrics: HttpMetrics;
  /** The only credential resource routes accept. */
  gatewayCredential: string;
  /** The seed run the database holds; its anchor date is the data's "as of". */
  seedRun: SeedRun;
  isShuttingDown?: () => boolean;
}

/**
 * The data exchange's express app: service-kit's shared parts, the credit-data routes, then
 * the 404 and problem+json handlers. It never listens; index.ts and tests do.
 */
export function buildApp({
  db,
  logger,
  metrics,
  gatewayCredential,
  seedRun,
  isShuttingDown,
}: AppDependencies): Express {
  const app = createServiceApp({
    logger,
    metrics,
    readiness: { database: databaseCheck(db) },
    ...(isShuttingDown ? { isShuttingDown } : {}),
  });
  // Mounted at '/' without a prefix: the spec-conformance test reads the paths off the stack.
  app.use(enterpriseRoutes({ db, gatewayCredential, seedRun }));
  app.use(creditSummaryRoutes({ db, gatewayCredential, seedRun }));
  return finishServiceApp(app, logger);
}
