import type { Knex } from '@bund/service-kit';

export const LOGIN_THROTTLE_TABLE = 'login_throttle';

export interface LoginThrottleOptions {
  /** Failed logins of one login name within the window that lock it. */
  maxFailuresPerUser: number;
  /** Failed logins from one address within the window that lock it (several login names). */
  maxFailuresPerAddress: number;
  /** The window failures are counted in, and how long a lock lasts. */
  windowMs: number;
  /** The clock (tests). */
  now?: () => number;
}

/**
 * Slows password guessing at the consent screen and the dashboard: too many failed logins for
 * one login name, or from one address, lock further attempts for a while, whatever password
 * comes next. Counted in the database, so every replica sees the same count. A lock is
 * temporary: a permanent one would let anyone lock a customer out by guessing their login name.
 */
export class LoginThrottle {
  private readonly now: () => number;

  constructor(
    private readonly db: Knex,
    private readonly options: LoginThrottleOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  private keys(username: string, address: string) {
    return [
      { key: `user:${username.toLowerCase()}`, max: this.options.maxFailuresPerUser },
      { key: `addr:${address}`, max: this.options.maxFailuresPerAddress },
    ];
  }

  /** Milliseconds until a login for this name from this address may be tried; 0 when now. */
  async lockedFor(username: string, address: string): Promise<number> {
    const rows = (await this.db(LOGIN_THROTTLE_TABLE)
      .whereIn(
        'key',
        this.keys(username, address).map((k) => k.key),
      )
      .select('locked_until')) as { locked_until: number | string | null }[];
    const until = Math.max(0, ...rows.map((row) => Number(row.locked_until ?? 0)));
    return Math.max(0, until - this.now());
  }

  /** Counts a failed login; the count that reaches its limit locks the name or address. */
  async recordFailure(username: string, address: string): Promise<void> {
    const now = this.now();
    await this.db.transaction(async (trx) => {
      for (const { key, max } of this.keys(username, address)) {
        const row = (await trx(LOGIN_THROTTLE_TABLE).where({ key }).first()) as
          { failures: number; window_started_at: number | string } | undefined;
        const fresh = !row || now - Number(row.window_started_at) >= this.options.windowMs;
        const failures = fresh ? 1 : row.failures + 1;
        const values = {
          failures,
          window_started_at: fresh ? now : Number(row.window_started_at),
          locked_until: failures >= max ? now + this.options.windowMs : null,
        };
        // An upsert: another replica may have counted this key's first failure meanwhile.
        await trx(LOGIN_THROTTLE_TABLE)
          .insert({ key, ...values })
          .onConflict('key')
          .merge();
      }
    });
  }

  /**
   * A successful login clears its login name's count, not the address's: one right password
   * does not excuse the failures for other names.
   */
  async recordSuccess(username: string): Promise<void> {
    await this.db(LOGIN_THROTTLE_TABLE)
      .where({ key: `user:${username.toLowerCase()}` })
      .delete();
  }

  /** Drops rows whose window and lock are over; returns how many. */
  async sweep(): Promise<number> {
    const now = this.now();
    return this.db(LOGIN_THROTTLE_TABLE)
      .where('window_started_at', '<', now - this.options.windowMs)
      .andWhere((q) => q.whereNull('locked_until').orWhere('locked_until', '<', now))
      .delete();
  }
}
