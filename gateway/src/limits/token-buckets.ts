/** A rate and the burst allowed above it. */
export interface TokenBucketOptions {
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
  /** Most tokens a bucket holds: the burst a quiet client may spend at once. */
  burst: number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was computed (ms, monotonic). */
  at: number;
}

/**
 * One token bucket per key, refilled lazily when the key is next seen: no timer per key. A
 * bucket idle long enough to be full again is the same as no bucket, so such buckets are
 * dropped in a sweep that runs at most once per full-refill time (amortised O(1) per call).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillMs: number;
  private lastSweep: number;

  constructor(
    private readonly options: TokenBucketOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(options.perSecond > 0) || !(options.burst >= 1))
      throw new RangeError('a token bucket needs perSecond > 0 and burst >= 1');
    this.refillMs = (options.burst / options.perSecond) * 1000;
    this.lastSweep = now();
  }

  /** Takes a token for `key`: 0 when granted, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.now();
    this.sweep(now);
    const { perSecond, burst } = this.options;
    const bucket = this.buckets.get(key);
    const tokens = bucket
      ? Math.min(burst, bucket.tokens + ((now - bucket.at) * perSecond) / 1000)
      : burst;
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return 0;
    }
    this.buckets.set(key, { tokens, at: now });
    return ((1 - tokens) / perSecond) * 1000;
  }

  /** Keys currently tracked (idle ones are forgotten). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number) {
    if (now - this.lastSweep < this.refillMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets)
      if (now - bucket.at >= this.refillMs) this.buckets.delete(key);
  }
}
