import type { ConsentEvent, CreditSubject } from '../consents/consent.js';
import type { ConsentSnapshot } from '../consents/consent-snapshot.js';
import { wasAuthorised } from '../consents/consent-snapshot.js';
import type { Actor, ConsentStatus, ConsentType, Reason } from '../consents/lifecycle.js';

/** One status change as the TPP reads it. */
export interface StatusChangeView {
  status: ConsentStatus;
  reason: Reason;
  actor: Actor;
  at: string;
}

/** A consent as the TPP that asked for it reads it (`Consent` in specs/consents.yaml). */
export interface TppConsentView {
  consentId: string;
  type: ConsentType;
  status: ConsentStatus;
  statusReason: Reason;
  statusUpdatedAt: string;
  permissions: string[];
  expirationDateTime: string;
  transactionFromDateTime?: string;
  transactionToDateTime?: string;
  purpose?: string;
  accounts?: string[];
  subject?: CreditSubject;
  createdAt: string;
  history: StatusChangeView[];
}

/** The link a consent is found at, relative to the issuer. */
export const consentPath = (id: string) => `/consents/${encodeURIComponent(id)}`;

function statusChange(event: ConsentEvent): StatusChangeView {
  return { status: event.toStatus, reason: event.reason, actor: event.actor, at: event.at };
}

/**
 * The TPP's view: what it asked for, where the consent stands and how it got there. Accounts
 * (or the credit subject) appear once the customer authorised; the customer's identity never.
 */
export function tppConsentView({ consent, history }: ConsentSnapshot): TppConsentView {
  const authorised = wasAuthorised(consent);
  return {
    consentId: consent.id,
    type: consent.type,
    status: consent.status,
    statusReason: consent.statusReason,
    statusUpdatedAt: consent.statusUpdatedAt,
    permissions: consent.permissions,
    expirationDateTime: consent.expiresAt,
    ...optional('transactionFromDateTime', consent.transactionFromDateTime),
    ...optional('transactionToDateTime', consent.transactionToDateTime),
    ...optional('purpose', consent.purpose),
    ...(authorised && consent.type === 'account_information' ? { accounts: consent.accounts } : {}),
    ...(authorised && consent.subject ? { subject: consent.subject } : {}),
    createdAt: consent.createdAt,
    history: history.map(statusChange),
  };
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

/** The response envelope every Bund resource API uses. */
export function consentResponse(snapshot: ConsentSnapshot) {
  return {
    data: tppConsentView(snapshot),
    links: { self: consentPath(snapshot.consent.id) },
    meta: {},
  };
}
