import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { buildMockBank } from '@bund/mock-bank/build';
import { buildDataExchange } from '@bund/data-exchange/build';

/** A backend built for a test: the real app on a throwaway SQLite database. */
export interface TestBackend {
  app: Express;
  db: Knex;
  credentials: { gateway: string; consentService: string };
}

function credentials() {
  return {
    gateway: randomBytes(24).toString('base64url'),
    consentService: randomBytes(24).toString('base64url'),
  };
}

/** Builds one backend by the name the specs use in `x-backend`. */
export async function buildBackend(name: string): Promise<TestBackend> {
  const creds = credentials();
  const options = {
    databaseUrl: '',
    sqliteFile: ':memory:',
    credentials: creds,
    logLevel: 'silent',
  };
  switch (name) {
    case 'mock-bank':
      return { ...(await buildMockBank(options)), credentials: creds };
    case 'data-exchange':
      return { ...(await buildDataExchange(options)), credentials: creds };
    default:
      throw new Error(`no backend called ${name}`);
  }
}
