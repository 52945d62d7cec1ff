import type { Knex } from '@bund/service-kit';
import type { CustomerRow } from '../db/rows.js';

/** The customer with login `username`, if any. */
export async function customerByUsername(
  db: Knex,
  username: string,
): Promise<CustomerRow | undefined> {
  return db<CustomerRow>('customers').where('username', username).first();
}

/** The customer `id`, if any. */
export async function customerById(db: Knex, id: string): Promise<CustomerRow | undefined> {
  return db<CustomerRow>('customers').where('id', id).first();
}
