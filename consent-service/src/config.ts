import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  commonSettings,
  commonSpecs,
  ConfigError,
  credentialSpecs,
  internalCredential,
  loadConfig,
  makeValidator,
  port,
  positiveInt,
  str,
  url,
} from '@bund/service-kit';
import type { CommonSettings } from '@bund/service-kit';
import ipaddr from 'ipaddr.js';
import { ADDRESS_ATTEMPTS_PER_NAME, LOGIN_THROTTLE_DEFAULTS } from './login/login-throttle.js';
import { DATA_ACCESS_RETENTION_DAYS } from './data-access/data-access-store.js';

/** The names Express's `trust proxy` knows for address ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `TRUST_PROXY`: empty, a hop count, or comma-separated addresses, CIDRs and named ranges.
 * Checked here so a typo stops the service naming the variable, instead of failing inside
 * Express at start.
 */
const trustProxy = makeValidator<number | string>((input) => {
  const value = input.trim();
  if (value === '') return '';
  if (/^\d+$/.test(value)) return Number(value);
  for (const entry of value.split(',').map((part) => part.trim())) {
    const known =
      NAMED_RANGES.has(entry) || ipaddr.isValid(entry) || (entry.includes('/') && isCidr(entry));
    if (!known)
      throw new Error(
        `"${entry}" is not a hop count, an address, a CIDR or loopback/linklocal/uniquelocal`,
      );
  }
  return value;
});

function isCidr(entry: string): boolean {
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}

/** The consent service's settings, validated and frozen. */
export interface ConsentServiceConfig extends CommonSettings {
  port: number;
  sqliteFile: string;
  /** Issuer identifier: the public base URL of this service. */
  issuer: string;
  /** The gateway's resource URL: the audience of access tokens. */
  gatewayUrl: string;
  mockBankUrl: string;
  /** TPP registrations (name, logo, redirect URIs, JWKS). */
  clientsFile: string;
  accessTokenTtlSeconds: number;
  refreshTokenMaxTtlSeconds: number;
  /** Minutes a consent may wait for the customer before it is rejected as abandoned. */
  awaitingAuthorisationMinutes: number;
  maxConsentDays: number;
  /** Days data-access records are kept before they are purged. */
  dataAccessRetentionDays: number;
  /** Reverse proxies whose X-Forwarded-For is believed (Express `trust proxy`). */
  trustProxy?: number | string;
  /** Failed logins that pause logging in, per login name and per address, and for how long. */
  loginThrottle: { maxAttemptsPerUser: number; maxAttemptsPerAddress: number; windowMs: number };
  /** Credential this service presents to mock-bank. */
  consentServiceCredential: string;
  /** Credential the gateway presents to read consents and their change feed. */
  gatewayCredential: string;
}

const defaultClientsFile = fileURLToPath(new URL('../config/clients.json', import.meta.url));

/** The issuer: as configured (an absolute http(s) URL without query), else localhost on our port. */
function issuerOf(configured: string, port: number): string {
  if (!configured) return `http://localhost:${port}`;
  let parsed: URL;
  try {
    parsed = new URL(configured);
  } catch {
    throw new ConfigError(`invalid configuration: ISSUER: not a URL: "${configured}"`, ['ISSUER']);
  }
  if (!/^https?:$/.test(parsed.protocol) || parsed.search || parsed.hash) {
    throw new ConfigError(
      'invalid configuration: ISSUER: must be an http(s) URL without query or fragment',
      ['ISSUER'],
    );
  }
  return configured.replace(/\/$/, '');
}

/** Reads the consent service's configuration from `env`; invalid values name the variable. */
export function loadConsentServiceConfig(env: NodeJS.ProcessEnv): ConsentServiceConfig {
  const raw = loadConfig(env, {
    ...commonSpecs({ schema: 'consent_service' }),
    CONSENT_SERVICE_PORT: port({ default: 3000, desc: 'Port of the consent service' }),
    ISSUER: str({
      default: '',
      desc: 'Issuer identifier (public base URL); default http://localhost:<CONSENT_SERVICE_PORT>',
    }),
    GATEWAY_URL: url({
      default: 'http://localhost:8080',
      desc: 'Public URL of the gateway: the audience of access tokens',
    }),
    MOCK_BANK_URL: url({
      default: 'http://127.0.0.1:4001',
      desc: 'Where the consent service reaches mock-bank',
    }),
    CLIENTS_FILE: str({ default: defaultClientsFile, desc: 'JSON file of registered TPP clients' }),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt({
      default: 300,
      desc: 'Access token lifetime (at most 600)',
    }),
    REFRESH_TOKEN_MAX_TTL_SECONDS: positiveInt({
      default: 90 * 24 * 3600,
      desc: 'Longest refresh token lifetime (never beyond the consent)',
    }),
    CONSENT_AWAITING_MINUTES: positiveInt({
      default: 60,
      desc: 'Minutes before an unanswered consent is rejected as abandoned',
    }),
    CONSENT_MAX_DAYS: positiveInt({ default: 365, desc: 'Longest consent a TPP may ask for' }),
    DATA_ACCESS_RETENTION_DAYS: positiveInt({
      default: DATA_ACCESS_RETENTION_DAYS,
      desc: 'Days the record of what TPPs read is kept (and shown to customers) before it is purged',
    }),
    LOGIN_MAX_FAILURES: positiveInt({
      default: LOGIN_THROTTLE_DEFAULTS.maxAttemptsPerUser,
      desc: 'Failed logins of one login name (four times as many from one address) that pause logins',
    }),
    TRUST_PROXY: trustProxy({
      default: '',
      desc: 'Reverse proxies in front: a hop count (1) or their addresses/CIDRs; empty when browsers connect directly',
    }),
    LOGIN_LOCKOUT_MINUTES: positiveInt({
      default: LOGIN_THROTTLE_DEFAULTS.windowMs / 60_000,
      desc: 'How long failed logins are counted, and how long a pause lasts',
    }),
    ...credentialSpecs(),
  });
  if (raw.ACCESS_TOKEN_TTL_SECONDS > 600) {
    throw new ConfigError(
      'invalid configuration: ACCESS_TOKEN_TTL_SECONDS: must be at most 600 (FAPI short-lived tokens)',
      ['ACCESS_TOKEN_TTL_SECONDS'],
    );
  }
  return Object.freeze({
    ...commonSettings(raw),
    port: raw.CONSENT_SERVICE_PORT,
    sqliteFile: path.join(raw.DATA_DIR, 'consent-service.sqlite'),
    issuer: issuerOf(raw.ISSUER, raw.CONSENT_SERVICE_PORT),
    gatewayUrl: raw.GATEWAY_URL.replace(/\/$/, ''),
    mockBankUrl: raw.MOCK_BANK_URL.replace(/\/$/, ''),
    clientsFile: raw.CLIENTS_FILE,
    accessTokenTtlSeconds: raw.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenMaxTtlSeconds: raw.REFRESH_TOKEN_MAX_TTL_SECONDS,
    awaitingAuthorisationMinutes: raw.CONSENT_AWAITING_MINUTES,
    maxConsentDays: raw.CONSENT_MAX_DAYS,
    dataAccessRetentionDays: raw.DATA_ACCESS_RETENTION_DAYS,
    ...(raw.TRUST_PROXY !== '' ? { trustProxy: raw.TRUST_PROXY } : {}),
    loginThrottle: {
      maxAttemptsPerUser: raw.LOGIN_MAX_FAILURES,
      maxAttemptsPerAddress: ADDRESS_ATTEMPTS_PER_NAME * raw.LOGIN_MAX_FAILURES,
      windowMs: raw.LOGIN_LOCKOUT_MINUTES * 60_000,
    },
    consentServiceCredential: internalCredential(
      raw.DATA_DIR,
      'consent-service',
      raw.CONSENT_SERVICE_INTERNAL_CREDENTIAL,
    ),
    gatewayCredential: internalCredential(raw.DATA_DIR, 'gateway', raw.GATEWAY_INTERNAL_CREDENTIAL),
  });
}
