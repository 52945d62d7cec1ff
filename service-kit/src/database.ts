import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import type { Knex } from 'knex';

export type { Knex };

export interface DatabaseOptions {
  /** `postgres://…` selects PostgreSQL; empty selects SQLite at `sqliteFile`. */
  databaseUrl: string;
  /** SQLite file, or `:memory:` for a throwaway database. */
  sqliteFile: string;
  /** PostgreSQL schema to work in (created if missing); empty for the server's default. */
  schema?: string;
}

/** A knex instance on SQLite (default) or PostgreSQL (`databaseUrl`). */
export function createDatabase({ databaseUrl, sqliteFile, schema }: DatabaseOptions): Knex {
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
    }
    return knexFactory({
      client: 'pg',
      connection: databaseUrl,
      pool: {
        min: 0,
        max: 10,
        // The schema must exist before search_path can point at it.
        ...(schema
          ? {
              afterCreate: (
                conn: {
                  query: (
                    sql: string,
                    cb: (err: (Error & { code?: string }) | null) => void,
                  ) => void;
                },
                done: (err: Error | null, conn: unknown) => void,
              ) => {
                const quoted = `"${schema.replaceAll('"', '""')}"`;
                conn.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`, (err) => {
                  // Replicas starting together race to create it: losing that race is fine.
                  if (err && err.code !== '23505' && err.code !== '42P06') return done(err, conn);
                  conn.query(`SET search_path TO ${quoted}`, (err2) => done(err2, conn));
                });
              },
            }
          : {}),
      },
    });
  }
  if (sqliteFile !== ':memory:') mkdirSync(path.dirname(sqliteFile), { recursive: true });
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: sqliteFile },
    useNullAsDefault: true,
    // One connection: SQLite serialises writers anyway, and `:memory:` is per connection.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (
        conn: { run: (sql: string, cb: (err: Error | null) => void) => void },
        done: (err: Error | null, conn: unknown) => void,
      ) => {
        conn.run('PRAGMA foreign_keys = ON', (err) => {
          if (err) return done(err, conn);
          conn.run('PRAGMA journal_mode = WAL', (err2) => {
            if (err2) return done(err2, conn);
            // With WAL, NORMAL cannot corrupt the file; it only skips a sync per commit (a power
            // cut may lose the last commits). FULL costs ~0.6 ms per write on every request.
            conn.run('PRAGMA synchronous = NORMAL', (err3) => done(err3, conn));
          });
        });
      },
    },
  });
}

/** A migration written in TypeScript and listed in code, so no file-system discovery is needed. */
export interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
  /**
   * `transaction: false` runs it outside a transaction (knex), for statements PostgreSQL
   * refuses inside one, such as `CREATE INDEX CONCURRENTLY`.
   */
  config?: { transaction: boolean };
}

/**
 * Applies the named migrations in list order; each runs once, recorded in `knex_migrations`.
 * On PostgreSQL, replicas starting together take turns (an advisory lock held for the whole
 * run), because knex's own lock table does not exist until the first of them creates it.
 */
export async function migrate(
  db: Knex,
  migrations: ReadonlyArray<readonly [string, Migration]>,
): Promise<void> {
  if (db.client.config.client === 'pg') {
    await db.transaction(async (trx) => {
      await trx.raw(
        "select pg_advisory_xact_lock(hashtext(current_schema() || ':bund-migrations'))",
      );
      await runMigrations(db, migrations);
    });
    return;
  }
  await runMigrations(db, migrations);
}

async function runMigrations(
  db: Knex,
  migrations: ReadonlyArray<readonly [string, Migration]>,
): Promise<void> {
  const byName = new Map(migrations);
  await db.migrate.latest({
    migrationSource: {
      getMigrations: async () => migrations.map(([name]) => name),
      getMigrationName: (name: string) => name,
      getMigration: async (name: string) => {
        const migration = byName.get(name);
        if (!migration) throw new Error(`unknown migration ${name}`);
        return migration;
      },
    },
  });
}

/** Readiness check: the database answers a trivial query. */
export function databaseCheck(db: Knex) {
  return () => db.raw('select 1');
}
