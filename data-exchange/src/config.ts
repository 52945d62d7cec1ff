import path from 'node:path';
import {
  commonSpecs,
  internalCredential,
  isoDate,
  loadConfig,
  makeValidator,
  port,
  str,
} from '@bund/service-kit';

/** The default seed: the same sandbox data on every machine unless someone asks otherwise. */
export const DEFAULT_SEED = 20260102;

/** Today in UTC, `YYYY-MM-DD`: the anchor date when none is configured. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * `YYYY-MM-DD`, or empty for "today". Empty is resolved when the config is loaded, so the rest
 * of the service always sees a concrete date.
 */
const anchorDate = makeValidator<string>((input) => {
  const value = input.trim();
  if (value === '') return '';
  if (!isoDate.safeParse(value).success) {
    throw new Error(`expected a calendar date as YYYY-MM-DD, got "${input}"`);
  }
  return value;
});

/** A whole number from 0 to 2^32 − 1. */
const seedInteger = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(input.trim()) || value > 0xffff_ffff) {
    throw new Error(`expected an integer from 0 to 4294967295, got "${input}"`);
  }
  return value;
});

/** The data exchange's settings, validated and frozen. */
export interface DataExchangeConfig {
  host: string;
  port: number;
  logLevel: string;
  dataDir: string;
  /** `postgres://…`, or empty for SQLite at {@link DataExchangeConfig.sqliteFile}. */
  databaseUrl: string;
  databaseSchema: string;
  sqliteFile: string;
  shutdownTimeoutMs: number;
  /** "Today" of the seeded data: invoices and utility bills cover the 24 months before it. */
  seedAnchorDate: string;
  /** Seed of the demo data: the same seed and anchor date always produce the same rows. */
  seed: number;
  /** The only credential the resource API accepts. */
  gatewayCredential: string;
  /**
   * The consent service's credential. The data exchange has no internal routes yet; it is
   * resolved so a misconfigured stack fails the same way for every service.
   */
  consentServiceCredential: string;
}

/**
 * Reads the data exchange's configuration from `env` (nothing else in the service reads the
 * environment). Invalid values throw service-kit's ConfigError naming the variables; the
 * internal credentials fall back to the secrets generated under `DATA_DIR`, so every service
 * of one checkout agrees on them.
 */
export function loadDataExchangeConfig(env: NodeJS.ProcessEnv): DataExchangeConfig {
  const raw = loadConfig(env, {
    ...commonSpecs({ schema: 'data_exchange' }),
    DATA_EXCHANGE_PORT: port({ default: 4002, desc: 'Port of the data exchange' }),
    GATEWAY_INTERNAL_CREDENTIAL: str({
      default: '',
      desc: 'Credential the gateway presents; empty uses the one generated under DATA_DIR',
    }),
    CONSENT_SERVICE_INTERNAL_CREDENTIAL: str({
      default: '',
      desc: 'Credential the consent service presents; empty uses the one generated under DATA_DIR',
    }),
    SEED_ANCHOR_DATE: anchorDate({
      default: '',
      desc: '"Today" of the seeded data (YYYY-MM-DD); empty for today in UTC',
    }),
    SEED: seedInteger({ default: DEFAULT_SEED, desc: 'Seed of the demo-data generator' }),
  });
  return Object.freeze({
    host: raw.HOST,
    port: raw.DATA_EXCHANGE_PORT,
    logLevel: raw.LOG_LEVEL,
    dataDir: raw.DATA_DIR,
    databaseUrl: raw.DATABASE_URL,
    databaseSchema: raw.DATABASE_SCHEMA,
    sqliteFile: path.join(raw.DATA_DIR, 'data-exchange.sqlite'),
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    seedAnchorDate: raw.SEED_ANCHOR_DATE || todayUtc(),
    seed: raw.SEED,
    gatewayCredential: internalCredential(raw.DATA_DIR, 'gateway', raw.GATEWAY_INTERNAL_CREDENTIAL),
    consentServiceCredential: internalCredential(
      raw.DATA_DIR,
      'consent-service',
      raw.CONSENT_SERVICE_INTERNAL_CREDENTIAL,
    ),
  });
}
