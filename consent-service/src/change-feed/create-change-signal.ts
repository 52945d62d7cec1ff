import type { Knex, Logger } from '@bund/service-kit';
import { InProcessChangeSignal } from './change-signal.js';
import type { ChangeSignal } from './change-signal.js';
import { PgChangeSignal } from './pg-change-signal.js';

/**
 * The change signal that suits the database: LISTEN/NOTIFY on PostgreSQL, where several
 * replicas share the consents, and an in-process emitter on SQLite (one replica).
 */
export async function createChangeSignal(options: {
  db: Knex;
  databaseUrl: string;
  schema: string;
  logger: Logger;
}): Promise<ChangeSignal> {
  if (options.db.client.config.client !== 'pg') return new InProcessChangeSignal();
  const signal = new PgChangeSignal({
    db: options.db,
    connectionString: options.databaseUrl,
    schema: options.schema,
    logger: options.logger,
  });
  await signal.start();
  return signal;
}
