import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ConsentStore } from './consents/consent-store.js';

/** Where an authorization journey ended without a token. */
export type AbandonStage =
  | 'before_login'
  | 'before_account_selection'
  | 'before_approval'
  | 'refused'
  | 'failed_token_exchange';

/** The consent service's own metrics, on the service's registry. */
export interface ConsentMetrics {
  transitions: Counter<'type' | 'status' | 'reason'>;
  journeysAbandoned: Counter<'stage'>;
  tokensIssued: Counter<'grant_type'>;
  oauthErrors: Counter<'error'>;
  loginFailures: Counter<'reason'>;
}

/** Why a customer login failed: the `reason` label of bund_login_failures_total. */
const LOGIN_FAILURE_REASONS = [
  'invalid_credentials',
  'too_many_attempts',
  'bank_unavailable',
] as const;

export function createConsentMetrics(registry: Registry, store: ConsentStore): ConsentMetrics {
  const registers = [registry];
  new Gauge({
    name: 'bund_consents_active',
    help: 'Authorised consents by type',
    labelNames: ['type'] as const,
    registers,
    // Read from the database at scrape time, so every replica reports the same truth.
    async collect() {
      const counts = await store.countActiveByType();
      this.reset();
      for (const type of ['account_information', 'credit_data_sharing'])
        this.set({ type }, counts[type] ?? 0);
    },
  });
  const loginFailures = new Counter({
    name: 'bund_login_failures_total',
    help: 'Failed customer logins, by reason',
    labelNames: ['reason'] as const,
    registers,
  });
  // At 0 from the start, so the first failure of each kind shows in rate() (login alerts).
  for (const reason of LOGIN_FAILURE_REASONS) loginFailures.inc({ reason }, 0);
  return {
    transitions: new Counter({
      name: 'bund_consent_transitions_total',
      help: 'Consent status changes by consent type, new status and reason',
      labelNames: ['type', 'status', 'reason'] as const,
      registers,
    }),
    journeysAbandoned: new Counter({
      name: 'bund_consent_journeys_abandoned_total',
      help: 'Authorization journeys that ended without a token, by the stage they reached',
      labelNames: ['stage'] as const,
      registers,
    }),
    tokensIssued: new Counter({
      name: 'bund_tokens_issued_total',
      help: 'Token endpoint successes by grant type',
      labelNames: ['grant_type'] as const,
      registers,
    }),
    oauthErrors: new Counter({
      name: 'bund_oauth_errors_total',
      help: 'OAuth errors answered, by error code',
      labelNames: ['error'] as const,
      registers,
    }),
    loginFailures,
  };
}
