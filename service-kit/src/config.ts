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
