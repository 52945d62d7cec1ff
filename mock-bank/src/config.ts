import path from 'node:path';
import {
  commonSpecs,
  internalCredential,
  isoDate,
  loadConfig,
  loadOrCreateSecret,
  makeValidator,
  port,
  str,
} from '@bund/service-kit';

/** The demo data's PRNG seed when `SEED` is not set. */
export const DEFAULT_SEED = 20260101;

/** Today's date in UTC as `YYYY-MM-DD`, the default anchor of the seeded 24-month window. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A calendar date `YYYY-MM-DD` that exists. */
const calendarDate = makeValidator<string>((input) => {
  const result = isoDate.safeParse(input);
  if (!result.success) throw new Error(`expected a date as YYYY-MM-DD, got "${input}"`);
  return result.data;
});

/** A whole number that fits the PRNG's 32-bit seed, so distinct seeds stay distinct. */
const seedInteger = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(String(input).trim()) || value > 0xffff_ffff) {
    throw new Error(`expected an integer from 0 to 4294967295, got "${input}"`);
  }
  return value;
});

/** The mock bank's settings, validated and frozen. */
export interface MockBankConfig {
  host: string;
  port: number;
  logLevel: string;
  dataDir: string;
  /** `postgres://…`, or empty for SQLite at {@link MockBankConfig.sqliteFile}. */
  databaseUrl: string;
  databaseSchema: string;
  sqliteFile: string;
  shutdownTimeoutMs: number;
  /** "Today" of the seeded data: transactions cover the 24 months before it. */
  seedAnchorDate: string;
  /** PRNG seed: the same seed and anchor date always produce the same rows. */
  seed: number;
  /** The only credential accepted on the resource API. */
  gatewayCredential: string;
  /** The only credential accepted on the internal customer API. */
  consentServiceCredential: string;
  /** HMAC key that makes pagination cursors tamper-evident (shared by replicas of one checkout). */
  cursorKey: string;
}

/**
 * Reads the mock bank's configuration from `env` (never from `process.env` directly). Invalid
 * values throw a ConfigError naming the variables; the internal credentials fall back to the
 * secrets generated under `DATA_DIR` so that every service of one checkout agrees on them.
 */
export function loadMockBankConfig(env: NodeJS.ProcessEnv): MockBankConfig {
  const raw = loadConfig(env, {
    ...commonSpecs({ schema: 'mock_bank' }),
    MOCK_BANK_PORT: port({ default: 4001, desc: 'Port of the mock bank' }),
    GATEWAY_INTERNAL_CREDENTIAL: str({
      default: '',
      desc: 'Credential the gateway presents; empty uses the one generated under DATA_DIR',
    }),
    CONSENT_SERVICE_INTERNAL_CREDENTIAL: str({
      default: '',
      desc: 'Credential the consent service presents; empty uses the one generated under DATA_DIR',
    }),
    SEED_ANCHOR_DATE: calendarDate({
      default: todayUtc(),
      desc: '"Today" of the seeded data (YYYY-MM-DD); transactions cover the 24 months before it',
    }),
    SEED: seedInteger({ default: DEFAULT_SEED, desc: 'Seed of the demo-data generator' }),
  });
  return Object.freeze({
    host: raw.HOST,
    port: raw.MOCK_BANK_PORT,
    logLevel: raw.LOG_LEVEL,
    dataDir: raw.DATA_DIR,
    databaseUrl: raw.DATABASE_URL,
    databaseSchema: raw.DATABASE_SCHEMA,
    sqliteFile: path.join(raw.DATA_DIR, 'mock-bank.sqlite'),
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    seedAnchorDate: raw.SEED_ANCHOR_DATE,
    seed: raw.SEED,
    gatewayCredential: internalCredential(raw.DATA_DIR, 'gateway', raw.GATEWAY_INTERNAL_CREDENTIAL),
    consentServiceCredential: internalCredential(
      raw.DATA_DIR,
      'consent-service',
      raw.CONSENT_SERVICE_INTERNAL_CREDENTIAL,
    ),
    cursorKey: loadOrCreateSecret(raw.DATA_DIR, 'mock-bank-cursor-key'),
  });
}
