import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import type { TppClient } from '@bund/consent-service/demo/tpp-client';
import { Browser } from './browser.js';
import type { ConsentStack, TestTpp } from './consent-stack.js';
import { dpopKeys } from './dpop-proof.js';
import type { DpopKeys } from './dpop-proof.js';

import { inDays } from './authorize.js';

export { inDays };

/** What a budgeting app asks for through the consent API. */
export const accountInformationRequest = () => ({
  type: 'account_information',
  permissions: [
    'ReadAccountsBasic',
    'ReadBalances',
    'ReadTransactionsDetail',
    'ReadTransactionsCredits',
    'ReadTransactionsDebits',
  ],
  expirationDateTime: inDays(90),
  transactionFromDateTime: '2025-01-01T00:00:00Z',
  transactionToDateTime: '2025-12-31T23:59:59Z',
});

/** A TPP of the stack acting through openid-client, with its DPoP keys and consent API token. */
export interface ConsentApiTpp {
  registration: TestTpp;
  client: TppClient;
  keys: DpopKeys;
  token: string;
}

export async function consentApiTpp(
  stack: ConsentStack,
  registration: TestTpp,
): Promise<ConsentApiTpp> {
  const keys = await dpopKeys();
  const client = await createTppClient({
    issuer: stack.issuer,
    clientId: registration.clientId,
    privateJwk: registration.privateJwk,
    dpopKeyPair: keys,
  });
  const tokens = await client.clientCredentials();
  return { registration, client, keys, token: tokens.access_token };
}

/**
 * The customer's journey for a consent the TPP created through the consent API: a pushed
 * request naming it by `consent_id`, login, account choice, approval; then the code exchange.
 */
export async function authoriseInBrowser(
  tpp: ConsentApiTpp,
  type: string,
  consentId: string,
  accounts = ['acc-0001-01', 'acc-0001-03'],
) {
  const { redirectUri } = tpp.registration;
  const { url, checks } = await tpp.client.pushAuthorizationRequest({
    authorizationDetails: [{ type, consent_id: consentId }],
    redirectUri,
  });
  const browser = new Browser((u) => u.href.startsWith(redirectUri));
  const login = await browser.open(url);
  assert.equal(login.status, 200, login.html.slice(0, 500));
  const choose = await browser.submit(login, '/login', {
    username: 'zhangwei',
    password: DEMO_PASSWORD,
  });
  assert.equal(choose.status, 200, choose.html.slice(0, 800));
  const review = await browser.submit(choose, '/accounts', { accounts });
  assert.equal(review.status, 200, review.html.slice(0, 800));
  const back = await browser.submit(review, '/approve');
  assert.ok(
    back.url.href.startsWith(redirectUri),
    `expected a redirect to the TPP, got ${back.url.href}`,
  );
  return tpp.client.exchangeCode(back.url, checks);
}
