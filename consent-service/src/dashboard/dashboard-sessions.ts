import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from '@bund/service-kit';

/** Name of the dashboard's session cookie (scoped to /dashboard). */
export const SESSION_COOKIE = 'bund.session';

const IDLE_SECONDS = 30 * 60;

function hash(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * Customer sessions of the dashboard, in the database (so a restart keeps people logged in)
 * and stored only as hashes. A session ends after 30 idle minutes.
 */
export class DashboardSessions {
  constructor(private readonly db: Knex) {}

  async create(customerId: string): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.db('dashboard_sessions').insert({
      id_hash: hash(id),
      customer_id: customerId,
      expires_at: now() + IDLE_SECONDS,
    });
    return id;
  }

  /** The customer of a live session, extending it; undefined when unknown or expired. */
  async customerOf(id: string | undefined): Promise<string | undefined> {
    if (!id) return undefined;
    const row = (await this.db('dashboard_sessions')
      .where({ id_hash: hash(id) })
      .andWhere('expires_at', '>', now())
      .first()) as { customer_id: string } | undefined;
    if (!row) return undefined;
    await this.db('dashboard_sessions')
      .where({ id_hash: hash(id) })
      .update({ expires_at: now() + IDLE_SECONDS });
    return row.customer_id;
  }

  async end(id: string | undefined): Promise<void> {
    if (id)
      await this.db('dashboard_sessions')
        .where({ id_hash: hash(id) })
        .delete();
  }

  async purgeExpired(): Promise<void> {
    await this.db('dashboard_sessions').where('expires_at', '<=', now()).delete();
  }
}
