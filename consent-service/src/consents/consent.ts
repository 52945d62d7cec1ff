import type { Actor, ConsentStatus, ConsentType, Reason } from './lifecycle.js';

/** Whose credit data a `credit_data_sharing` consent covers: fixed by the bank at approval. */
export type CreditSubject = { kind: 'enterprise'; creditCode: string } | { kind: 'individual' };

/** One authorisation of one TPP by one customer. */
export interface Consent {
  id: string;
  clientId: string;
  type: ConsentType;
  status: ConsentStatus;
  statusReason: Reason;
  statusUpdatedAt: string;
  /** Set when the customer logs in to authorise; null before. */
  customerId: string | null;
  permissions: string[];
  /** Accounts the customer chose (account_information), empty before authorisation. */
  accounts: string[];
  subject: CreditSubject | null;
  purpose: string | null;
  /** Inclusive transaction window the TPP may read (account_information), or null. */
  transactionFromDateTime: string | null;
  transactionToDateTime: string | null;
  expiresAt: string;
  createdAt: string;
}

/** One stored status change; `sequence` orders the change feed. */
export interface ConsentEvent {
  sequence: number;
  consentId: string;
  clientId: string;
  customerId: string | null;
  type: ConsentType;
  fromStatus: ConsentStatus | null;
  toStatus: ConsentStatus;
  reason: Reason;
  actor: Actor;
  at: string;
}
