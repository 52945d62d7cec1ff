/**
 * What the gateway does when nothing else is said: the environment's defaults (config.ts) and
 * buildGateway's for options left out are these, so the two cannot drift apart.
 */
export const GATEWAY_DEFAULTS = {
  connectTimeoutMs: 1000,
  responseTimeoutMs: 5000,
  circuitResetMs: 5000,
  /** Per TPP client: sustained calls per second, and the burst above it. */
  rateLimit: { perSecond: 50, burst: 100 },
  probeIntervalMs: 5000,
  probeTimeoutMs: 2000,
  /**
   * Live DPoP proofs one gateway remembers without Redis. A proof is remembered until its `iat`
   * plus the 60 s window: 60 s for a proof made now, up to 120 s for one dated ahead. 500,000
   * is over 8,000 proofs/s made now, or 4,000/s all dated ahead: about what one process serves
   * on a dedicated core (~260 µs per call in `npm run bench`). Memory: ~160 bytes per entry
   * with a UUID `jti`, so ~80 MB when full (a `jti` may be up to 256 characters). Past it calls
   * are refused with 503: forgetting a live proof would let it be replayed. The old bound,
   * 100,000, refused calls above ~1,700/s.
   */
  replayCacheMaxEntries: 500_000,
} as const;
