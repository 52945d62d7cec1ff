import type { Consent } from '../consents/consent.js';

/**
 * The `authorization_details` entry a token carries for a consent: what the customer granted
 * (with the accounts they chose, or whose credit data), never what the TPP asked for. The
 * gateway enforces exactly this.
 */
export function grantedDetail(consent: Consent): Record<string, unknown> {
  const common = {
    type: consent.type,
    consent_id: consent.id,
    permissions: consent.permissions,
    expirationDateTime: consent.expiresAt,
  };
  if (consent.type === 'account_information') {
    return {
      ...common,
      accounts: consent.accounts,
      ...(consent.transactionFromDateTime
        ? { transactionFromDateTime: consent.transactionFromDateTime }
        : {}),
      ...(consent.transactionToDateTime
        ? { transactionToDateTime: consent.transactionToDateTime }
        : {}),
    };
  }
  return { ...common, purpose: consent.purpose, subject: consent.subject };
}
