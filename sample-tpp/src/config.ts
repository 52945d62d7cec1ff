import path from 'node:path';
import {
  host,
  loadConfig,
  logLevel,
  port,
  positiveInt,
  repoRoot,
  str,
  url,
} from '@bund/service-kit';

/** The sample app's settings, validated and frozen. */
export interface SampleTppConfig {
  host: string;
  port: number;
  logLevel: string;
  shutdownTimeoutMs: number;
  /** Where customers' browsers reach the app; the redirect URIs registered at the bank start with it. */
  publicUrl: string;
  /** The bank's authorization server (the issuer): discovery, PAR, token, consent API. */
  issuer: string;
  /** The bank's API gateway: every data call goes there. */
  gatewayUrl: string;
  clientId: string;
  /** The app's private signing key (a JWK with `kid`) for private_key_jwt. */
  clientKeyFile: string;
}

/** Reads the configuration from `env`; an invalid value throws a ConfigError naming it. */
export function loadSampleTppConfig(env: NodeJS.ProcessEnv): SampleTppConfig {
  const raw = loadConfig(env, {
    HOST: host({ default: '127.0.0.1', desc: 'Interface the app listens on' }),
    SAMPLE_TPP_PORT: port({ default: 8090, desc: 'Port of the sample app' }),
    LOG_LEVEL: logLevel(),
    DATA_DIR: str({
      default: path.join(repoRoot, 'data'),
      desc: 'Where the consent service generated the demo TPP keys (secrets/)',
    }),
    SHUTDOWN_TIMEOUT_MS: positiveInt({ default: 10_000, desc: 'Drain time on shutdown' }),
    SAMPLE_TPP_URL: str({ default: '', desc: 'Public URL; default http://localhost:<port>' }),
    CONSENT_SERVICE_URL: url({ default: 'http://localhost:3000', desc: 'The issuer' }),
    GATEWAY_URL: url({ default: 'http://localhost:8080', desc: 'The Bund gateway' }),
    SAMPLE_TPP_CLIENT_ID: str({ default: 'bund-sample-tpp', desc: 'client_id at the bank' }),
    SAMPLE_TPP_CLIENT_KEY_FILE: str({ default: '', desc: 'Private JWK for private_key_jwt' }),
  });
  const strip = (u: string) => u.replace(/\/$/, '');
  return Object.freeze({
    host: raw.HOST,
    port: raw.SAMPLE_TPP_PORT,
    logLevel: raw.LOG_LEVEL,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    publicUrl: strip(raw.SAMPLE_TPP_URL || `http://localhost:${raw.SAMPLE_TPP_PORT}`),
    issuer: strip(raw.CONSENT_SERVICE_URL),
    gatewayUrl: strip(raw.GATEWAY_URL),
    clientId: raw.SAMPLE_TPP_CLIENT_ID,
    // The consent service generates this key at its first start for `"jwks": "generated"`.
    clientKeyFile:
      raw.SAMPLE_TPP_CLIENT_KEY_FILE ||
      path.join(raw.DATA_DIR, 'secrets', `${raw.SAMPLE_TPP_CLIENT_ID}.private.jwk.json`),
  });
}
