import { Redis } from 'ioredis';
import type { DpopReplayCache, Logger } from '@bund/service-kit';

export interface RedisReplayCacheOptions {
  /** `redis://` or `rediss://` URL of the Redis every gateway replica uses. */
  url: string;
  logger: Logger;
  /** How long one check may take before the call is answered 503; default 500 ms. */
  commandTimeoutMs?: number;
}

/** Keys of this cache in a Redis that may hold other things. */
const PREFIX = 'bund:dpop-jti:';
/** While Redis cannot be reached, why is logged at most this often. */
const OUTAGE_LOG_INTERVAL_MS = 60_000;

/**
 * The DPoP replay cache shared by every gateway replica, in Redis: a proof accepted by one
 * replica is refused by all the others. Each proof is one `SET key NX PX`, atomic in Redis, so
 * two replicas checking the same proof at once cannot both accept it; Redis forgets the key
 * when the proof's `iat` has left the window.
 *
 * It fails closed and at once: while Redis cannot be reached a check throws (no queue of
 * commands waiting for a reconnect), and the gateway answers 503 rather than let a proof
 * through unchecked. The client reconnects on its own.
 */
export class RedisReplayCache implements DpopReplayCache {
  private readonly redis: Redis;
  private closing = false;

  constructor(options: RedisReplayCacheOptions) {
    const { logger } = options;
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 2000,
      // Forever, at most every 2 s: Redis coming back must not need a gateway restart.
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    });
    let connected = false;
    let lastLogged = 0;
    this.redis.on('ready', () => {
      connected = true;
      lastLogged = 0;
      logger.info('DPoP replay cache (Redis) connected');
    });
    this.redis.on('close', () => {
      if (connected && !this.closing) logger.warn('DPoP replay cache (Redis) lost');
      connected = false;
    });
    // Each reconnect attempt emits one (a wrong host, a refused password, TLS): the reason is
    // logged when the outage starts and then once a minute, never the URL (it may hold a
    // password).
    this.redis.on('error', (error: Error) => {
      if (this.closing || Date.now() - lastLogged < OUTAGE_LOG_INTERVAL_MS) return;
      lastLogged = Date.now();
      logger.warn({ reason: error.message }, 'DPoP replay cache (Redis) cannot be reached');
    });
  }

  async seen(key: string, expiresAt: number): Promise<boolean> {
    // Whole milliseconds (a proof's iat may have a fraction, PX takes an integer), and at least
    // a second: a proof at the very edge of the window is still refused once.
    const ttlMs = Math.max(1000, Math.ceil(expiresAt * 1000 - Date.now()));
    const set = await this.redis.set(`${PREFIX}${key}`, '1', 'PX', ttlMs, 'NX');
    return set === null;
  }

  /** Resolves when Redis answers: the readiness probe. */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.redis.disconnect();
  }
}
