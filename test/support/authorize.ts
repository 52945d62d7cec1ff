import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from '@bund/service-kit';
import type { TppClient } from '@bund/consent-service/demo/tpp-client';
import { Browser } from './browser.js';

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** An account-information request as a budgeting app would push it. */
export const ACCOUNT_INFORMATION = {
  type: 'account_information',
  permissions: [
    'ReadAccountsBasic',
    'ReadBalances',
    'ReadTransactionsDetail',
    'ReadTransactionsCredits',
    'ReadTransactionsDebits',
  ],
  expirationDateTime: inDays(90),
};

/** A retail customer's credit-data consent, as a consumer lender would push it. */
export const PERSONAL_CREDIT = {
  type: 'credit_data_sharing',
  permissions: ['ReadPersonalCreditSummary'],
  purpose: 'Consumer loan pre-approval',
  expirationDateTime: inDays(30),
};

export interface Journey {
  username?: string;
  accounts?: string[];
  decision?: 'approve' | 'refuse';
  /** A browser that may already be logged in (a session from an earlier journey). */
  browser?: Browser;
}

/**
 * A customer's whole journey for a pushed request: open the link, log in (unless the browser
 * already has a session), choose accounts, then approve or refuse. Returns the URL the browser
 * was sent back to at the TPP, with the checks to redeem it.
 */
export async function authorize(
  tpp: TppClient,
  redirectUri: string,
  details: unknown[],
  journey: Journey = {},
) {
  const { url, checks } = await tpp.pushAuthorizationRequest({
    authorizationDetails: details,
    redirectUri,
  });
  return { ...(await customerDecides(url, redirectUri, journey)), checks };
}

/**
 * The customer's part of {@link authorize}, from the link a TPP gave them: returns the URL the
 * browser was sent back to at `redirectUri`, not yet opened.
 */
export async function customerDecides(url: URL, redirectUri: string, journey: Journey = {}) {
  const browser = journey.browser ?? new Browser();
  const atTpp = (u: URL) => u.href.startsWith(redirectUri);
  const stopping = new Browser(atTpp);
  Object.assign(stopping, { jar: browser.jar });
  let page = await stopping.open(url);
  if (page.html.includes('name="password"')) {
    page = await stopping.submit(page, '/login', {
      username: journey.username ?? 'zhangwei',
      password: DEMO_PASSWORD,
    });
  }
  if (page.html.includes('name="accounts"')) {
    page = await stopping.submit(page, '/accounts', {
      accounts: journey.accounts ?? ['acc-0001-01'],
    });
  }
  const decision = journey.decision ?? 'approve';
  const back = await stopping.submit(page, decision === 'approve' ? '/approve' : '/refuse');
  assert.ok(
    atTpp(back.url),
    `expected a redirect to the TPP, got ${back.url.href} (${back.status})`,
  );
  return { callback: back.url, browser: stopping };
}
