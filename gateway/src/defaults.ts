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
} as const;
