import {
  bool,
  commonSpecs,
  internalCredential,
  loadConfig,
  makeValidator,
  port,
  positiveInt,
  str,
  url,
} from '@bund/service-kit';
import { GATEWAY_DEFAULTS } from './defaults.js';

/** A positive number, fractions allowed (a rate of 0.5 per second is one call every 2 s). */
const positiveNumber = makeValidator<number>((input) => {
  const value = Number(input);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`expected a positive number, got "${input}"`);
  return value;
});

/** The URL `input` is, or undefined when it is none. */
const parseUrl = (input: string): URL | undefined =>
  URL.canParse(input) ? new URL(input) : undefined;

/**
 * Browser origins allowed to call the API (CORS), comma-separated: each exactly
 * `scheme://host[:port]`, as a browser sends it in `Origin`. Anything else — a path, a
 * wildcard, a trailing slash — is refused at start rather than silently never matching.
 */
const originList = makeValidator<readonly string[]>((input) => {
  const origins = input
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    const parsed = parseUrl(origin);
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin)
      throw new Error(`"${origin}" is not an origin like https://app.example.com`);
  }
  return Object.freeze([...new Set(origins)]);
});

/** Empty, or a `redis://` / `rediss://` URL with a host. */
const redisUrl = makeValidator<string>((input) => {
  if (input === '') return input;
  const parsed = parseUrl(input);
  // The message never repeats the value: a Redis URL may carry a password.
  if (!parsed || !/^rediss?:$/.test(parsed.protocol) || parsed.hostname === '')
    throw new Error('expected a redis:// or rediss:// URL with a host');
  return input;
});

/** The gateway's settings, validated and frozen. */
export interface GatewayConfig {
  host: string;
  port: number;
  /** The operator listener: metrics, status page, health. */
  opsPort: number;
  logLevel: string;
  dataDir: string;
  shutdownTimeoutMs: number;
  /** The gateway's public URL: the access tokens' audience and the base of DPoP `htu`. */
  publicUrl: string;
  /** The consent service (issuer): keys, consent status and change feed. */
  consentServiceUrl: string;
  /** The only backends the gateway ever calls, by the names the specs use in `x-backend`. */
  backends: Record<string, string>;
  credential: string;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  circuitResetMs: number;
  validateResponses: boolean;
  /** Token bucket per TPP client: sustained calls per second and burst. */
  rateLimit: { perSecond: number; burst: number };
  probeIntervalMs: number;
  probeTimeoutMs: number;
  /** Browser origins whose pages may call the API; none by default. */
  corsOrigins: readonly string[];
  /** Redis shared by the replicas for DPoP replay checks; absent: this process's memory. */
  replayCacheUrl?: string;
  /** Without Redis: live DPoP proofs this process remembers before it refuses calls. */
  replayCacheMaxEntries: number;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const raw = loadConfig(env, {
    ...commonSpecs({ schema: 'gateway' }),
    GATEWAY_PORT: port({ default: 8080, desc: 'Port of the gateway' }),
    GATEWAY_OPS_PORT: port({
      default: 9080,
      desc: 'Port of the operator endpoints (/metrics, /status); keep it off the TPP network',
    }),
    GATEWAY_URL: str({
      default: '',
      desc: 'Public URL of the gateway; default http://localhost:<GATEWAY_PORT>',
    }),
    CONSENT_SERVICE_URL: url({
      default: 'http://localhost:3000',
      desc: 'The consent service (issuer)',
    }),
    MOCK_BANK_URL: url({ default: 'http://127.0.0.1:4001', desc: 'mock-bank backend' }),
    DATA_EXCHANGE_URL: url({ default: 'http://127.0.0.1:4002', desc: 'data-exchange backend' }),
    GATEWAY_INTERNAL_CREDENTIAL: str({
      default: '',
      desc: 'Credential presented to backends; empty uses the generated one',
    }),
    UPSTREAM_CONNECT_TIMEOUT_MS: positiveInt({
      default: GATEWAY_DEFAULTS.connectTimeoutMs,
      desc: 'Backend connect timeout',
    }),
    UPSTREAM_RESPONSE_TIMEOUT_MS: positiveInt({
      default: GATEWAY_DEFAULTS.responseTimeoutMs,
      desc: 'Backend response timeout',
    }),
    UPSTREAM_CIRCUIT_RESET_MS: positiveInt({
      default: GATEWAY_DEFAULTS.circuitResetMs,
      desc: 'How long a failing backend is answered 503 at once before one call may try it again',
    }),
    // Validating every backend answer is for development and test; production skips it.
    VALIDATE_RESPONSES: bool({
      default: env.NODE_ENV !== 'production',
      desc: 'Check backend responses against the specs; default off when NODE_ENV=production',
    }),
    RATE_LIMIT_PER_SECOND: positiveNumber({
      default: GATEWAY_DEFAULTS.rateLimit.perSecond,
      desc: 'Calls per second each TPP client (client_id) may make, sustained',
    }),
    RATE_LIMIT_BURST: positiveInt({
      default: GATEWAY_DEFAULTS.rateLimit.burst,
      desc: 'Calls a TPP client may make at once above its rate (token bucket size)',
    }),
    PROBE_INTERVAL_MS: positiveInt({
      default: GATEWAY_DEFAULTS.probeIntervalMs,
      desc: 'Time between interconnection probes of the backends and the consent service',
    }),
    PROBE_TIMEOUT_MS: positiveInt({
      default: GATEWAY_DEFAULTS.probeTimeoutMs,
      desc: 'How long one interconnection probe may take before it counts as failed',
    }),
    DPOP_REPLAY_CACHE_URL: redisUrl({
      default: '',
      desc: 'Redis (redis://…) that gateway replicas share to refuse a DPoP proof replayed on another replica; empty keeps it in this process (one replica)',
    }),
    DPOP_REPLAY_CACHE_MAX_ENTRIES: positiveInt({
      default: GATEWAY_DEFAULTS.replayCacheMaxEntries,
      desc: 'Without DPOP_REPLAY_CACHE_URL: live DPoP proofs this process remembers; past it calls are refused with 503 (size for proofs per second × 120 s)',
    }),
    CORS_ORIGINS: originList({
      default: [],
      desc: 'Browser origins (https://app.example.com, comma-separated) whose pages may call the API; none by default',
    }),
  });
  const strip = (u: string) => u.replace(/\/$/, '');
  return Object.freeze({
    host: raw.HOST,
    port: raw.GATEWAY_PORT,
    opsPort: raw.GATEWAY_OPS_PORT,
    logLevel: raw.LOG_LEVEL,
    dataDir: raw.DATA_DIR,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    publicUrl: strip(raw.GATEWAY_URL || `http://localhost:${raw.GATEWAY_PORT}`),
    consentServiceUrl: strip(raw.CONSENT_SERVICE_URL),
    backends: {
      'mock-bank': strip(raw.MOCK_BANK_URL),
      'data-exchange': strip(raw.DATA_EXCHANGE_URL),
    },
    credential: internalCredential(raw.DATA_DIR, 'gateway', raw.GATEWAY_INTERNAL_CREDENTIAL),
    connectTimeoutMs: raw.UPSTREAM_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: raw.UPSTREAM_RESPONSE_TIMEOUT_MS,
    circuitResetMs: raw.UPSTREAM_CIRCUIT_RESET_MS,
    validateResponses: raw.VALIDATE_RESPONSES,
    rateLimit: Object.freeze({
      perSecond: raw.RATE_LIMIT_PER_SECOND,
      burst: raw.RATE_LIMIT_BURST,
    }),
    probeIntervalMs: raw.PROBE_INTERVAL_MS,
    probeTimeoutMs: raw.PROBE_TIMEOUT_MS,
    corsOrigins: raw.CORS_ORIGINS,
    replayCacheUrl: raw.DPOP_REPLAY_CACHE_URL || undefined,
    replayCacheMaxEntries: raw.DPOP_REPLAY_CACHE_MAX_ENTRIES,
  });
}
