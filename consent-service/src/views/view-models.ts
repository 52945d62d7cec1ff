import type { LoginError } from '../login/customer-login.js';
/**
 * What the routes hand to the page renderers. Routes decide (and never build HTML); renderers
 * only present (and never decide), so the journey logic is tested without parsing pages.
 */

export type Lang = 'en' | 'zh';

/** Common to every page. */
export interface PageContext {
  lang: Lang;
  /** The current path and query without `lang`, for the language switch links. */
  path: string;
  /** Hidden field `_csrf` in every form. */
  csrfToken: string;
}

export interface ClientView {
  id: string;
  /** In the page's language when the registration has one (`client_name#zh`). */
  name: string;
  /** Same-origin path or URL of the TPP's logo; absent means show initials. */
  logoUri?: string;
}

export interface Bilingual {
  zh: string;
  en: string;
}

export interface PermissionView {
  name: string;
  text: Bilingual;
}

/** What the TPP asks for, as the customer reads it. */
export interface ConsentRequestView {
  type: 'account_information' | 'credit_data_sharing';
  permissions: PermissionView[];
  /** ISO date-time. */
  expiresAt: string;
  /** ISO date-times of the transaction window, when the TPP asked for one. */
  transactionFrom?: string;
  transactionTo?: string;
  /** Why the TPP wants credit data (credit_data_sharing). */
  purpose?: string;
}

export interface AccountView {
  id: string;
  type: 'current' | 'savings' | 'credit_card';
  currency: string;
  nickname: Bilingual;
  maskedNumber: string;
  productName: Bilingual;
}

/** Login to authorise a TPP (`client` set) or to open the dashboard. */
export interface LoginView extends PageContext {
  action: string;
  client?: ClientView;
  /** Shown with the login form when authorising: what is being asked. */
  request?: ConsentRequestView;
  username?: string;
  error?: LoginError;
  /** When authorising: refuse without logging in. */
  refuseAction?: string;
}

/** Step 1 of an account_information consent: choose accounts. */
export interface SelectAccountsView extends PageContext {
  client: ClientView;
  request: ConsentRequestView;
  customerName: Bilingual;
  accounts: AccountView[];
  selected: string[];
  action: string;
  refuseAction: string;
  error?: 'no_account_selected' | 'unknown_account';
}

/** Last step: review and approve or refuse. */
export interface ReviewView extends PageContext {
  client: ClientView;
  request: ConsentRequestView;
  customerName: Bilingual;
  /** Chosen accounts (account_information). */
  accounts: AccountView[];
  /** Whose credit data (credit_data_sharing). */
  subject?:
    | { kind: 'enterprise'; name: Bilingual; creditCode: string }
    | { kind: 'individual'; name: Bilingual };
  approveAction: string;
  refuseAction: string;
  /** Back to account selection (account_information only). */
  changeAccountsHref?: string;
  error?: 'subject_mismatch';
}

/** A page that explains a problem and offers a way on. */
export interface ErrorView extends PageContext {
  status: number;
  error:
    | 'session_expired'
    | 'not_found'
    | 'bank_unavailable'
    | 'bad_request'
    | 'server_error'
    | 'csrf'
    | 'authorization_link_expired'
    | 'authorization_refused';
  /** Where the customer can go next, if anywhere. */
  continueHref?: string;
  /** A code for the app's or the bank's support (an OAuth error code), shown small. */
  supportCode?: string;
}

export interface ConsentEventView {
  at: string;
  fromStatus: string | null;
  toStatus: string;
  reason: string;
  actor: 'customer' | 'tpp' | 'bank' | 'system';
}

export interface DataAccessView {
  at: string;
  operation: string;
  resources: string[];
  outcome: string;
}

/** Where the data-access records on a page sit among all those kept, newest first. */
export interface DataAccessPageView {
  /** Places of the first and last record shown, counting from 1 at the newest. */
  first: number;
  last: number;
  /** All the records kept. */
  total: number;
  /** The pages either side; absent at the newest or the oldest end. */
  newerHref?: string;
  olderHref?: string;
}

export interface ConsentSummaryView {
  id: string;
  client: ClientView;
  type: 'account_information' | 'credit_data_sharing';
  status: 'AwaitingAuthorisation' | 'Authorised' | 'Rejected' | 'Revoked' | 'Expired';
  createdAt: string;
  expiresAt: string;
  statusUpdatedAt: string;
  detailHref: string;
  /** The accounts it covers (account information), so two consents of one app differ at a glance. */
  accounts?: AccountView[];
}

export interface DashboardView extends PageContext {
  customerName: Bilingual;
  active: ConsentSummaryView[];
  past: ConsentSummaryView[];
  logoutAction: string;
  /** Set after a revocation, to confirm it. */
  notice?: 'revoked';
}

export interface ConsentDetailView extends PageContext {
  customerName: Bilingual;
  consent: ConsentSummaryView & {
    request: ConsentRequestView;
    accounts: AccountView[];
    subject?: ReviewView['subject'];
  };
  history: ConsentEventView[];
  /** When and what the TPP read (the gateway's data-access records), newest first. */
  dataAccess: DataAccessView[];
  dataAccessPage: DataAccessPageView;
  /**
   * All the customer's accounts, so that a record naming one the consent does not cover (a
   * TPP asking for more than it was given) shows it as the customer knows it.
   */
  customerAccounts: AccountView[];
  /** Days each data-access record is kept, which the customer is told. */
  dataAccessRetentionDays: number;
  /** Link to the confirmation step; absent when the consent cannot be revoked. */
  revokeHref?: string;
  backHref: string;
  logoutAction: string;
}

export interface RevokeConfirmView extends PageContext {
  customerName: Bilingual;
  consent: ConsentSummaryView;
  revokeAction: string;
  cancelHref: string;
  logoutAction: string;
}
