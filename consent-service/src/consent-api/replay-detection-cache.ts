import type Provider from 'oidc-provider';
import type { DpopReplayCache } from '@bund/service-kit';
import { DuplicateReplayValue } from '../oidc/knex-adapter.js';

/** Keeps consent API proofs apart from the proofs the provider itself records. */
const NAMESPACE = 'bund:consent-api:dpop:';

/**
 * A DPoP replay cache in the provider's ReplayDetection model, so in the database every
 * replica shares: a proof accepted by one replica is a replay at every other. The adapter
 * inserts these rows without overwriting, so two concurrent uses of one proof cannot both pass.
 */
export function replayDetectionCache(provider: Provider): DpopReplayCache {
  return {
    async seen(key, expiresAt) {
      // The model stores a TTL, which must be positive.
      const exp = Math.max(expiresAt, Math.floor(Date.now() / 1000) + 1);
      try {
        return !(await provider.ReplayDetection.unique(NAMESPACE, key, exp));
      } catch (error) {
        if (error instanceof DuplicateReplayValue) return true;
        throw error;
      }
    },
  };
}
