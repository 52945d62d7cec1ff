import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import type { HttpMetrics, Knex, Logger } from '@bund/service-kit';
import { createDatabase, createHttpMetrics, createLogger, migrate } from '@bund/service-kit';
import { createApp } from './app.js';
import { DEFAULT_SEED, todayUtc } from './config.js';
import { createDummyHash } from './customers/password-hash.js';
import { migrations } from './db/migrations.js';
import { seedIfEmpty } from './seed/seed-database.js';

/** Everything {@link buildMockBank} needs; index.ts fills it from the config, tests by hand. */
export interface BuildOptions {
  /** `postgres://…`, or empty/absent for SQLite at `sqliteFile`. */
  databaseUrl?: string;
  /** SQLite file; defaults to `:memory:`. */
  sqliteFile?: string;
  /** PostgreSQL schema (created if missing); defaults to `mock_bank`. */
  databaseSchema?: string;
  /** The only credential accepted on each API: the gateway's (resources), the consent service's (internal). */
  credentials: { gateway: string; consentService: string };
  /** "Today" of the seeded data, `YYYY-MM-DD`; defaults to today (UTC). */
  anchorDate?: string;
  /** PRNG seed of the demo data; defaults to {@link DEFAULT_SEED}. */
  seed?: number;
  /** HMAC key of the pagination cursors; defaults to a random one (cursors then last as long as the process). */
  cursorKey?: string;
  /** Defaults to a new logger at `logLevel`. */
  logger?: Logger;
  /** Level of the default logger; defaults to `silent`. */
  logLevel?: string;
  isShuttingDown?: () => boolean;
}

/** A built mock bank: its app and what the app runs on. */
export interface MockBank {
  app: Express;
  db: Knex;
  logger: Logger;
  metrics: HttpMetrics;
}

/**
 * Builds the mock bank: opens the database, applies migrations, seeds the demo data when the
 * database is empty, and builds the app. Used by index.ts and by the tests alike; the caller
 * owns `db` and destroys it when done.
 */
export async function buildMockBank(options: BuildOptions): Promise<MockBank> {
  const { gateway, consentService } = options.credentials;
  if (!gateway || !consentService) throw new Error('the mock bank needs both internal credentials');
  const logger = options.logger ?? createLogger('mock-bank', options.logLevel ?? 'silent');
  const databaseUrl = options.databaseUrl ?? '';
  const schema = options.databaseSchema ?? 'mock_bank';
  const db = createDatabase({ databaseUrl, sqliteFile: options.sqliteFile ?? ':memory:', schema });
  try {
    await migrate(db, migrations);
    await seedIfEmpty(
      db,
      { seed: options.seed ?? DEFAULT_SEED, anchorDate: options.anchorDate ?? todayUtc() },
      logger,
    );
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const metrics = createHttpMetrics('mock-bank');
  const app = createApp({
    db,
    logger,
    metrics,
    gatewayCredential: gateway,
    consentServiceCredential: consentService,
    cursorKey: options.cursorKey ?? randomBytes(32).toString('base64url'),
    dummyHash: await createDummyHash(),
    isShuttingDown: options.isShuttingDown,
  });
  return { app, db, logger, metrics };
}
