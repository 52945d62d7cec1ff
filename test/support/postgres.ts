import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '@bund/service-kit';
import type { Knex } from '@bund/service-kit';

/** Where the PostgreSQL tests look for a server; `TEST_DATABASE_URL` overrides it. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Resolves to the PostgreSQL URL when a server answers there, or undefined so the suite can
 * skip with a reason. In CI (CI=true) PostgreSQL is part of the machine, so its absence fails
 * the run instead of silently skipping the PostgreSQL path.
 */
export async function reachablePostgres(): Promise<string | undefined> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return TEST_DATABASE_URL;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(
        `PostgreSQL is required in CI but not reachable at ${TEST_DATABASE_URL}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    console.warn(
      `      PostgreSQL not reachable at ${TEST_DATABASE_URL} (${(error as Error).message}); skipping the PostgreSQL tests`,
    );
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema name no other test run uses. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops a throwaway schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A database a suite runs against, and how to throw it away. */
export interface TestDatabase {
  db: Knex;
  done(): Promise<void>;
}

/**
 * Each database the services run on, for a suite that runs once per database: SQLite in memory,
 * and PostgreSQL in a throwaway schema named after `prefix` (undefined, the reason said, when
 * no server answers; see {@link reachablePostgres}).
 */
export function testDatabases(
  prefix: string,
): [name: string, open: () => Promise<TestDatabase | undefined>][] {
  return [
    [
      'SQLite',
      async () => {
        const db = createDatabase({ databaseUrl: '', sqliteFile: ':memory:' });
        return { db, done: () => db.destroy() };
      },
    ],
    [
      'PostgreSQL',
      async () => {
        const url = await reachablePostgres();
        if (!url) return undefined;
        const schema = uniqueSchema(prefix);
        const db = createDatabase({ databaseUrl: url, sqliteFile: '', schema });
        return {
          db,
          async done() {
            await db.destroy();
            await dropSchema(url, schema);
          },
        };
      },
    ],
  ];
}
