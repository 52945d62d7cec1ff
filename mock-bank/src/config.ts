import path from 'node:path';
import {
  commonSettings,
  commonSpecs,
  credentialSpecs,
  internalCredential,
  loadConfig,
  loadOrCreateSecret,
  port,
  seedSpecs,
} from '@bund/service-kit';
import type { CommonSettings } from '@bund/service-kit';

export { todayUtc } from '@bund/service-kit';

/** The demo data's PRNG seed when `SEED` is not set. */
export const DEFAULT_SEED = 20260101;

/** The mock bank's settings, validated and frozen. */
export interface MockBankConfig extends CommonSettings {
  port: number;
  sqliteFile: string;
  /** "Today" of the seeded data: transactions cover the 24 months before it. */
  seedAnchorDate: string;
  /** PRNG seed: the same seed and anchor date always produce the same rows. */
  seed: number;
  /** The only credential accepted on the resource API. */
  gatewayCredential: string;
  /** The only credential accepted on the internal customer API. */
  consentServiceCredential: string;
  /** HMAC key that makes pagination cursors tamper-evident (shared by replicas of one checkout). */
  cursorKey: string;
}

/**
 * Reads the mock bank's configuration from `env` (never from `process.env` directly). Invalid
 * values throw a ConfigError naming the variables; the internal credentials fall back to the
 * secrets generated under `DATA_DIR` so that every service of one checkout agrees on them.
 */
export function loadMockBankConfig(env: NodeJS.ProcessEnv): MockBankConfig {
  const raw = loadConfig(env, {
    ...commonSpecs({ schema: 'mock_bank' }),
    MOCK_BANK_PORT: port({ default: 4001, desc: 'Port of the mock bank' }),
    ...credentialSpecs(),
    ...seedSpecs(DEFAULT_SEED),
  });
  return Object.freeze({
    ...commonSettings(raw),
    port: raw.MOCK_BANK_PORT,
    sqliteFile: path.join(raw.DATA_DIR, 'mock-bank.sqlite'),
    seedAnchorDate: raw.SEED_ANCHOR_DATE,
    seed: raw.SEED,
    gatewayCredential: internalCredential(raw.DATA_DIR, 'gateway', raw.GATEWAY_INTERNAL_CREDENTIAL),
    consentServiceCredential: internalCredential(
      raw.DATA_DIR,
      'consent-service',
      raw.CONSENT_SERVICE_INTERNAL_CREDENTIAL,
    ),
    cursorKey: loadOrCreateSecret(raw.DATA_DIR, 'mock-bank-cursor-key'),
  });
}
