import path from 'node:path';
import {
  commonSettings,
  commonSpecs,
  credentialSpecs,
  internalCredential,
  loadConfig,
  port,
  seedSpecs,
} from '@bund/service-kit';
import type { CommonSettings } from '@bund/service-kit';

export { todayUtc } from '@bund/service-kit';

/** The default seed: the same sandbox data on every machine unless someone asks otherwise. */
export const DEFAULT_SEED = 20260102;

/** The data exchange's settings, validated and frozen. */
export interface DataExchangeConfig extends CommonSettings {
  port: number;
  sqliteFile: string;
  /** "Today" of the seeded data: invoices and utility bills cover the 24 months before it. */
  seedAnchorDate: string;
  /** Seed of the demo data: the same seed and anchor date always produce the same rows. */
  seed: number;
  /** The only credential the resource API accepts. */
  gatewayCredential: string;
  /**
   * The consent service's credential. The data exchange has no internal routes yet; it is
   * resolved so a misconfigured stack fails the same way for every service.
   */
  consentServiceCredential: string;
}

/**
 * Reads the data exchange's configuration from `env` (nothing else in the service reads the
 * environment). Invalid values throw service-kit's ConfigError naming the variables; the
 * internal credentials fall back to the secrets generated under `DATA_DIR`, so every service
 * of one checkout agrees on them.
 */
export function loadDataExchangeConfig(env: NodeJS.ProcessEnv): DataExchangeConfig {
  const raw = loadConfig(env, {
    ...commonSpecs({ schema: 'data_exchange' }),
    DATA_EXCHANGE_PORT: port({ default: 4002, desc: 'Port of the data exchange' }),
    ...credentialSpecs(),
    ...seedSpecs(DEFAULT_SEED),
  });
  return Object.freeze({
    ...commonSettings(raw),
    port: raw.DATA_EXCHANGE_PORT,
    sqliteFile: path.join(raw.DATA_DIR, 'data-exchange.sqlite'),
    seedAnchorDate: raw.SEED_ANCHOR_DATE,
    seed: raw.SEED,
    gatewayCredential: internalCredential(raw.DATA_DIR, 'gateway', raw.GATEWAY_INTERNAL_CREDENTIAL),
    consentServiceCredential: internalCredential(
      raw.DATA_DIR,
      'consent-service',
      raw.CONSENT_SERVICE_INTERNAL_CREDENTIAL,
    ),
  });
}
