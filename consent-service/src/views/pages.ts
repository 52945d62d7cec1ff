import { renderConsentDetail } from './consent-detail-page.js';
import { renderDashboard } from './dashboard-page.js';
import { renderError } from './error-page.js';
import { renderLogin } from './login-page.js';
import type { Pages } from './render.js';
import { renderReview } from './review-page.js';
import { renderRevokeConfirm } from './revoke-confirm-page.js';
import { renderSelectAccounts } from './select-accounts-page.js';

/**
 * The consent service's pages: pure functions from a view to a complete HTML document, with no
 * script and no inline style, in the view's language.
 */
export const pages: Pages = Object.freeze({
  login: renderLogin,
  selectAccounts: renderSelectAccounts,
  review: renderReview,
  error: renderError,
  dashboard: renderDashboard,
  consentDetail: renderConsentDetail,
  revokeConfirm: renderRevokeConfirm,
});
