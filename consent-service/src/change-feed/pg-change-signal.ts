import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Knex, Logger } from '@bund/service-kit';
import { InProcessChangeSignal } from './change-signal.js';
import type { ChangeSignal } from './change-signal.js';

export interface PgChangeSignalOptions {
  /** The consent service's database: NOTIFY goes through its pool. */
  db: Knex;
  /** `postgres://…`: LISTEN needs a dedicated connection, outside the pool. */
  connectionString: string;
  /** The service's schema: replicas on one schema share a channel, other schemas do not. */
  schema: string;
  logger: Logger;
  /** Longest pause between reconnection attempts, ms. */
  maxRetryMs?: number;
}

/** The NOTIFY channel of a schema: a short, fixed-form identifier whatever the schema is called. */
export function changeChannel(schema: string): string {
  return `bund_consents_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}

/**
 * The change signal across replicas on one PostgreSQL: `pg_notify` after every commit, and a
 * dedicated connection that LISTENs and wakes this process's readers for every replica's
 * changes (its own included). The local readers are also woken directly, so a change made here
 * is announced here even while the listening connection is down. That connection reconnects
 * with backoff when lost, and wakes every reader once it listens again, so changes announced
 * while it was away are read then.
 */
export class PgChangeSignal implements ChangeSignal {
  readonly channel: string;
  readonly #local = new InProcessChangeSignal();
  #client: pg.Client | undefined;
  #closed = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PgChangeSignalOptions) {
    this.channel = changeChannel(options.schema);
  }

  /** Connects and LISTENs; rejects when that first attempt fails (the database is not usable). */
  async start(): Promise<void> {
    await this.#listen();
  }

  async notify(): Promise<void> {
    this.#local.announce();
    try {
      await this.options.db.raw('select pg_notify(?, ?)', [this.channel, '']);
    } catch (err) {
      // Other replicas' readers still catch up on their next heartbeat.
      this.options.logger.warn({ err }, 'could not announce a consent change to other replicas');
    }
  }

  subscribe(listener: () => void): () => void {
    return this.#local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
    await this.#local.close();
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      keepAlive: true,
    });
    let listening = false;
    const lost = (err?: Error) => {
      if (!listening || this.#closed || this.#client !== client) return;
      listening = false;
      this.#client = undefined;
      this.options.logger.warn({ err }, 'lost the consent change listener; reconnecting');
      client.end().catch(() => undefined);
      this.#retry();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.#local.announce();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    listening = true;
    this.#attempt = 0;
    // Whatever committed while nobody listened is read now.
    this.#local.announce();
  }

  #retry(): void {
    if (this.#closed) return;
    const delay = Math.min(this.options.maxRetryMs ?? 5000, 100 * 2 ** this.#attempt);
    this.#attempt += 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#listen().catch((err: unknown) => {
        this.options.logger.warn(
          { err, retryInMs: delay },
          'consent change listener could not reconnect',
        );
        this.#retry();
      });
    }, delay);
    this.#timer.unref();
  }
}
