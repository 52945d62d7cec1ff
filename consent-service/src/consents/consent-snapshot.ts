import type { Consent, ConsentEvent } from './consent.js';
import type { ConsentStore } from './consent-store.js';
import type { ConsentStatus } from './lifecycle.js';

/** A consent with a history that ends in its current status. */
export interface ConsentSnapshot {
  consent: Consent;
  history: ConsentEvent[];
  /** The sequence of the consent's latest event: the feed position this snapshot reflects. */
  sequence: number;
}

/**
 * Reads a consent and its history so that they agree. The history is read first, so a
 * transition committing in between shows in the consent but not in the history; then both are
 * read again (they commit together). A consent has at most three events in its life, so this
 * settles within a few reads. Without it a reader could see a status with no event, or a
 * `sequence` newer than the status it returns.
 */
export async function readConsentSnapshot(
  store: ConsentStore,
  id: string,
): Promise<ConsentSnapshot | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const history = await store.history(id);
    const consent = await store.find(id);
    if (!consent) return undefined;
    const last = history.at(-1);
    if (last && last.toStatus === consent.status)
      return { consent, history, sequence: last.sequence };
  }
  throw new Error(`consent ${id} and its history do not agree`);
}

/** Statuses reached only through Authorised: the customer's choice of accounts is final there. */
const AUTHORISED_ONCE: readonly ConsentStatus[] = ['Authorised', 'Revoked', 'Expired'];

/**
 * True once the customer authorised the consent. Before that, the stored accounts are the
 * customer's choice in progress (or an abandoned one), which nobody outside may see.
 */
export function wasAuthorised(consent: Consent): boolean {
  return AUTHORISED_ONCE.includes(consent.status);
}
