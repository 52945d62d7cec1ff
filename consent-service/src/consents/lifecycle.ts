/**
 * The consent lifecycle (ARCHITECTURE.md): AwaitingAuthorisation → Authorised | Rejected,
 * Authorised → Revoked | Expired. Every transition names who made it and why, and the TPP can
 * read both.
 */

export const CONSENT_TYPES = ['account_information', 'credit_data_sharing'] as const;
export type ConsentType = (typeof CONSENT_TYPES)[number];

export const CONSENT_STATUSES = [
  'AwaitingAuthorisation',
  'Authorised',
  'Rejected',
  'Revoked',
  'Expired',
] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export type Actor = 'customer' | 'tpp' | 'bank' | 'system';

/** Why a consent changed status; stable codes a TPP can switch on. */
export const REASONS = [
  'created',
  'customer_authorised',
  'customer_refused',
  'customer_revoked',
  'tpp_revoked',
  'bank_revoked',
  'expired',
  'abandoned',
  'technical_failure',
] as const;
export type Reason = (typeof REASONS)[number];

const ALLOWED: Record<ConsentStatus, readonly ConsentStatus[]> = {
  AwaitingAuthorisation: ['Authorised', 'Rejected'],
  Authorised: ['Revoked', 'Expired'],
  Rejected: [],
  Revoked: [],
  Expired: [],
};

/** True when a consent in status `from` may move to `to`. */
export function canTransition(from: ConsentStatus, to: ConsentStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** True for statuses no transition leaves. */
export function isFinal(status: ConsentStatus): boolean {
  return ALLOWED[status].length === 0;
}
