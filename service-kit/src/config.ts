import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, str, num, port, url, bool, host, makeValidator } from 'envalid';
import type { CleanedEnv } from 'envalid';

/** Raised when the environment does not describe a usable configuration. */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** The environment variables that were missing or invalid. */
    readonly variables: readonly string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The repository root; `./data/` lives below it whatever the working directory is. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Validates `env` against `specs` and returns a frozen, typed object. An invalid or missing
 * variable throws {@link ConfigError} naming every offending variable, so the process stops at
 * start instead of failing later.
 */
export function loadConfig<S>(env: NodeJS.ProcessEnv, specs: S): CleanedEnv<S> {
  return cleanEnv(env, specs, {
    reporter: ({ errors }) => {
      const names = Object.keys(errors);
      if (names.length === 0) return;
      const lines = names.map((name) => {
        const error = (errors as Record<string, Error | undefined>)[name];
        return `${name}: ${error?.message ?? 'invalid'}`;
      });
      throw new ConfigError(`invalid configuration: ${lines.join('; ')}`, names);
    },
  });
}

/** A positive whole number (milliseconds, counts, sizes). */
export const positiveInt = makeValidator<number>((input) => {
  const value = Number(input);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`expected a positive integer, got "${input}"`);
  return value;
});

/** A log level pino understands. */
export const logLevel = () =>
  str({
    default: 'info',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    desc: 'Minimum level of log lines written to stdout',
  });

/**
 * Settings every service shares: where it listens, where it keeps data, how it logs. Each
 * service adds its own `<SERVICE>_PORT` so one environment can start the whole stack.
 */
export function commonSpecs(service: { schema: string }) {
  return {
    HOST: host({ default: '127.0.0.1', desc: 'Interface every service listens on' }),
    LOG_LEVEL: logLevel(),
    DATA_DIR: str({
      default: path.join(repoRoot, 'data'),
      desc: 'Folder for SQLite files and generated secrets',
    }),
    DATABASE_URL: str({
      default: '',
      desc: 'postgres://… to use PostgreSQL instead of SQLite under DATA_DIR',
    }),
    DATABASE_SCHEMA: str({
      default: service.schema,
      desc: 'PostgreSQL schema of the service (each service has its own in one database)',
    }),
    SHUTDOWN_TIMEOUT_MS: positiveInt({
      default: 10_000,
      desc: 'How long in-flight requests may take to finish on shutdown',
    }),
  };
}

export { str, num, port, url, bool, host, makeValidator };

/** Today in UTC as `YYYY-MM-DD`: the default "today" of seeded demo data. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A calendar date `YYYY-MM-DD` that exists (2024-02-30 is refused). */
export const calendarDate = makeValidator<string>((input) => {
  const value = input.trim();
  const date = new Date(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(date.getTime()) ||
    !date.toISOString().startsWith(value)
  ) {
    throw new Error(`expected a calendar date as YYYY-MM-DD, got "${input}"`);
  }
  return value;
});

/** A whole number from 0 to 2^32 − 1 (a PRNG seed). */
export const seedInteger = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(input.trim()) || value > 0xffff_ffff) {
    throw new Error(`expected an integer from 0 to 4294967295, got "${input}"`);
  }
  return value;
});

/** The settings of a backend seeded with demo data. */
export function seedSpecs(defaultSeed: number) {
  return {
    SEED_ANCHOR_DATE: calendarDate({
      default: todayUtc(),
      desc: '"Today" of the seeded data (YYYY-MM-DD): the demo data covers the 24 months before it',
    }),
    SEED: seedInteger({ default: defaultSeed, desc: 'Seed of the demo-data generator' }),
  };
}

/** The internal credentials; empty means the ones generated under DATA_DIR. */
export function credentialSpecs() {
  return {
    GATEWAY_INTERNAL_CREDENTIAL: str({
      default: '',
      desc: 'Credential the gateway presents; empty uses the one generated under DATA_DIR',
    }),
    CONSENT_SERVICE_INTERNAL_CREDENTIAL: str({
      default: '',
      desc: 'Credential the consent service presents; empty uses the one generated under DATA_DIR',
    }),
  };
}

/** The shared settings ({@link commonSpecs}) as a service's config object carries them. */
export interface CommonSettings {
  host: string;
  logLevel: string;
  dataDir: string;
  /** `postgres://…`, or empty for SQLite under `dataDir`. */
  databaseUrl: string;
  databaseSchema: string;
  shutdownTimeoutMs: number;
}

/** Maps the cleaned {@link commonSpecs} variables onto {@link CommonSettings}. */
export function commonSettings(raw: {
  HOST: string;
  LOG_LEVEL: string;
  DATA_DIR: string;
  DATABASE_URL: string;
  DATABASE_SCHEMA: string;
  SHUTDOWN_TIMEOUT_MS: number;
}): CommonSettings {
  return {
    host: raw.HOST,
    logLevel: raw.LOG_LEVEL,
    dataDir: raw.DATA_DIR,
    databaseUrl: raw.DATABASE_URL,
    databaseSchema: raw.DATABASE_SCHEMA,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
  };
}
