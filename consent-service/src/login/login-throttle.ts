import type { Knex } from '@bund/service-kit';
import { addressGroup } from './address-group.js';

const LOGIN_THROTTLE_TABLE = 'login_throttle';

export interface LoginThrottleOptions {
  /** Login attempts for one login name within a window; more are refused until it ends. */
  maxAttemptsPerUser: number;
  /** Login attempts from one address within a window (several login names). */
  maxAttemptsPerAddress: number;
  /** The window attempts are counted in: the longest a pause lasts. */
  windowMs: number;
  /** The clock (tests). */
  now?: () => number;
}

/** An address may make this many times a name's attempts: a few names (a family, an office). */
export const ADDRESS_ATTEMPTS_PER_NAME = 4;

/**
 * Five attempts per login name and four times as many per address, in 15 minutes: the
 * environment's defaults (`LOGIN_MAX_FAILURES`, `LOGIN_LOCKOUT_MINUTES`) and the service's.
 */
export const LOGIN_THROTTLE_DEFAULTS = {
  maxAttemptsPerUser: 5,
  maxAttemptsPerAddress: 5 * ADDRESS_ATTEMPTS_PER_NAME,
  windowMs: 15 * 60_000,
} as const;

/** Keys longer than this are cut: a login name is whatever the browser sent. */
const MAX_KEY_LENGTH = 256;

/**
 * Slows password guessing at the consent screen and the dashboard: a fixed window of attempts
 * per login name and per client address, counted in the database (every replica sees the same
 * count). An attempt is counted before the password is checked, in one statement, so guesses
 * sent in parallel, or to several replicas, are counted before any of them is answered; a
 * success, or a check the bank could not make, gives its attempt back.
 *
 * Pauses are per window, not permanent, but someone who knows a login name can still keep that
 * name paused by guessing at it: the price of slowing guessing on a name. The per-address count
 * (an IPv6 address counted by its /64) stops one address from trying many names.
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
    return {
      user: {
        key: `user:${username.toLowerCase()}`.slice(0, MAX_KEY_LENGTH),
        max: this.options.maxAttemptsPerUser,
      },
      addr: {
        key: `addr:${addressGroup(address)}`.slice(0, MAX_KEY_LENGTH),
        max: this.options.maxAttemptsPerAddress,
      },
    };
  }

  /**
   * Counts an attempt for this name from this address. Returns 0 when it may go ahead, else the
   * milliseconds until its window ends (the attempt stays counted: a refused guess is a guess).
   * An attempt on a name that is already paused is not counted against the address: it never
   * reaches the bank, so it guesses nothing, and counting it would let one customer retrying
   * use up the allowance of everyone behind the same address (an office's NAT).
   */
  async attempt(username: string, address: string): Promise<number> {
    const { user, addr } = this.keys(username, address);
    const now = this.now();
    const nameWaitMs = await this.count(user.key, user.max, now);
    if (nameWaitMs > 0) return nameWaitMs;
    return this.count(addr.key, addr.max, now);
  }

  /** Counts one attempt under `key`; the wait until its window ends once over `max`, else 0. */
  private async count(key: string, max: number, now: number): Promise<number> {
    const windowStart = now - this.options.windowMs;
    // One statement: start a window, or count in the current one.
    const [row] = (await this.db
      .raw(
        `insert into ${LOGIN_THROTTLE_TABLE} (key, attempts, window_started_at) values (?, 1, ?)
         on conflict (key) do update set
           attempts = case when ${LOGIN_THROTTLE_TABLE}.window_started_at <= ? then 1
                           else ${LOGIN_THROTTLE_TABLE}.attempts + 1 end,
           window_started_at = case when ${LOGIN_THROTTLE_TABLE}.window_started_at <= ? then ?
                                    else ${LOGIN_THROTTLE_TABLE}.window_started_at end
         returning attempts, window_started_at`,
        [key, now, windowStart, windowStart, now],
      )
      .then(rowsOf)) as { attempts: number | string; window_started_at: number | string }[];
    if (!row || Number(row.attempts) <= max) return 0;
    // Clamped: a parallel attempt (another replica) may have started the window a few ms after
    // this one read the clock.
    const left = Number(row.window_started_at) + this.options.windowMs - now;
    return Math.min(left, this.options.windowMs);
  }

  /** Gives an attempt back (the bank could not check it); a success also clears the name. */
  async release(username: string, address: string, succeeded: boolean): Promise<void> {
    const { user, addr } = this.keys(username, address);
    if (succeeded) await this.db(LOGIN_THROTTLE_TABLE).where({ key: user.key }).delete();
    await this.db(LOGIN_THROTTLE_TABLE)
      .whereIn('key', succeeded ? [addr.key] : [user.key, addr.key])
      .andWhere('attempts', '>', 0)
      .decrement('attempts', 1);
  }

  /** Drops rows whose window is over; returns how many. */
  async sweep(): Promise<number> {
    return this.db(LOGIN_THROTTLE_TABLE)
      .where('window_started_at', '<=', this.now() - this.options.windowMs)
      .delete();
  }
}

/** knex.raw answers rows as PostgreSQL's `{ rows }` or as SQLite's array. */
function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : ((result as { rows: unknown[] }).rows ?? []);
}
