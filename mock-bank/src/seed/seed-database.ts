import type { Knex, Logger } from '@bund/service-kit';
import type { SeedOptions } from './generate.js';
import { generateSeedData } from './generate.js';

/** Rows per INSERT: within SQLite's 500-term compound select and both databases' bind limits. */
const CHUNK = 500;

async function isEmpty(db: Knex): Promise<boolean> {
  return (await db('customers').first('id')) === undefined;
}

async function insertInChunks(
  trx: Knex.Transaction,
  table: string,
  rows: readonly object[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx(table).insert(rows.slice(i, i + CHUNK));
  }
}

/**
 * Seeds the demo bank into an empty database, in one transaction; a database that already has
 * customers is left as it is. Returns whether it seeded. When several replicas start at once
 * on one PostgreSQL, one wins and the others' inserts fail on the primary keys; they then find
 * the data in place and carry on.
 */
export async function seedIfEmpty(
  db: Knex,
  options: SeedOptions,
  logger?: Logger,
): Promise<boolean> {
  if (!(await isEmpty(db))) return false;
  const started = performance.now();
  const data = await generateSeedData(options);
  try {
    await db.transaction(async (trx) => {
      await insertInChunks(trx, 'customers', data.customers);
      await insertInChunks(trx, 'accounts', data.accounts);
      await insertInChunks(trx, 'transactions', data.transactions);
    });
  } catch (error) {
    if (!(await isEmpty(db))) return false;
    throw error;
  }
  logger?.info(
    {
      customers: data.customers.length,
      accounts: data.accounts.length,
      transactions: data.transactions.length,
      anchorDate: options.anchorDate,
      seed: options.seed,
      ms: Math.round(performance.now() - started),
    },
    'seeded the demo bank',
  );
  return true;
}
