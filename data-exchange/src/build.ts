import { createDatabase, createHttpMetrics, createLogger, migrate } from '@bund/service-kit';
import type { HttpMetrics, Knex, Logger } from '@bund/service-kit';
import type { Express } from 'express';
import { buildApp } from './app.js';
import { DEFAULT_SEED, todayUtc } from './config.js';
import { migrations } from './db/migrations.js';
import { seedIfEmpty } from './seed/seed-database.js';
import type { SeedRun } from './seed/seed-database.js';

/** How to build the data exchange. Everything but the credentials has a test-friendly default. */
export interface BuildOptions {
  /** `postgres://…` selects PostgreSQL; empty or absent selects SQLite at `sqliteFile`. */
  databaseUrl?: string;
  /** Default `:memory:`. */
  sqliteFile?: string;
  /** PostgreSQL schema; default `data_exchange`. */
  databaseSchema?: string;
  /** `gateway` is the only credential the resource routes accept. */
  credentials: { gateway: string; consentService?: string };
  /** Default 20260102. */
  seed?: number;
  /** "Today" of the seeded data, `YYYY-MM-DD`; default today in UTC. */
  seedAnchorDate?: string;
  /** The service's logger; default a new one at `logLevel` (default `silent`). */
  logger?: Logger;
  logLevel?: string;
}

/** A built, migrated and seeded data exchange, not yet listening. */
export interface DataExchange {
  app: Express;
  db: Knex;
  logger: Logger;
  metrics: HttpMetrics;
  /** The seed and anchor date the database's data came from (an earlier run's if it had data). */
  seedRun: SeedRun;
  /** From now on `/health/ready` answers 503, so traffic drains before the server closes. */
  beginShutdown(): void;
}

/**
 * Builds the data exchange: opens the database, migrates it, seeds it when empty and builds the
 * app. index.ts and the tests both use it, so tests run what production runs.
 */
export async function buildDataExchange(options: BuildOptions): Promise<DataExchange> {
  const logger = options.logger ?? createLogger('data-exchange', options.logLevel ?? 'silent');
  const db = createDatabase({
    databaseUrl: options.databaseUrl ?? '',
    sqliteFile: options.sqliteFile ?? ':memory:',
    schema: options.databaseSchema ?? 'data_exchange',
  });
  try {
    await migrate(db, migrations);
    const seedRun = await seedIfEmpty(
      db,
      { seed: options.seed ?? DEFAULT_SEED, anchorDate: options.seedAnchorDate ?? todayUtc() },
      logger,
    );
    const metrics = createHttpMetrics('data-exchange');
    let shuttingDown = false;
    const app = buildApp({
      db,
      logger,
      metrics,
      gatewayCredential: options.credentials.gateway,
      seedRun,
      isShuttingDown: () => shuttingDown,
    });
    return {
      app,
      db,
      logger,
      metrics,
      seedRun,
      beginShutdown: () => {
        shuttingDown = true;
      },
    };
  } catch (error) {
    // A half-built service must not keep its pool (and so the process) alive.
    await db.destroy();
    throw error;
  }
}
