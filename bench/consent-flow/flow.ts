import { performance } from 'node:perf_hooks';
import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import type { TppClient } from '@bund/consent-service/demo/tpp-client';
import { Browser } from './browser.js';
import type { ReadyInfo } from './protocol.js';
import { accountInformation } from './tpp.js';

/** The customer who logs in on every flow, and the account they choose. */
const CUSTOMER = { username: 'zhangwei', password: DEMO_PASSWORD, account: 'acc-0001-01' };

/** The TPP of one contender, with its HTTP requests counted. */
export interface Tpp {
  client: TppClient;
  redirectUri: string;
  requests: number;
}

export async function connectTpp(info: ReadyInfo): Promise<Tpp> {
  if (!info.tpp) throw new Error(`${info.url} registered no TPP`);
  const client = await createTppClient({
    issuer: info.url,
    clientId: info.tpp.clientId,
    privateJwk: info.tpp.privateJwk,
  });
  const tpp: Tpp = { client, redirectUri: info.tpp.redirectUri, requests: 0 };
  client.config[oidc.customFetch] = (url, options) => {
    tpp.requests += 1;
    return fetch(url, options as RequestInit);
  };
  return tpp;
}

/** What one flow cost the client: its time and the customer's requests. */
export interface FlowResult {
  ms: number;
  browserRequests: number;
}

/**
 * One complete flow: PAR (private_key_jwt, PKCE, DPoP, authorization_details) → the customer
 * opens the link, logs in, chooses an account, approves → the TPP redeems the code with DPoP.
 * Throws unless a DPoP-bound JWT access token carrying the chosen account comes back.
 */
export async function runFlow(tpp: Tpp): Promise<FlowResult> {
  const start = performance.now();
  const { url, checks } = await tpp.client.pushAuthorizationRequest({
    authorizationDetails: [accountInformation()],
    redirectUri: tpp.redirectUri,
  });
  const browser = new Browser((u) => u.href.startsWith(tpp.redirectUri));
  const login = await browser.open(url);
  const choose = await browser.submit(login, '/login', {
    username: CUSTOMER.username,
    password: CUSTOMER.password,
  });
  const review = await browser.submit(choose, '/accounts', { accounts: [CUSTOMER.account] });
  const back = await browser.submit(review, '/approve');
  if (!back.url.href.startsWith(tpp.redirectUri)) {
    throw new Error(`the flow did not return to the TPP: ${back.url.href} (${back.status})`);
  }
  const tokens = await tpp.client.exchangeCode(back.url, checks);
  const ms = performance.now() - start;
  const claims = decodeJwt(tokens.access_token);
  const [detail] = (claims.authorization_details ?? []) as { accounts?: string[] }[];
  if (
    tokens.token_type.toLowerCase() !== 'dpop' ||
    !(claims.cnf as { jkt?: string } | undefined)?.jkt
  ) {
    throw new Error('the access token is not DPoP-bound');
  }
  if (detail?.accounts?.join() !== CUSTOMER.account)
    throw new Error('the access token does not carry the chosen account');
  return { ms, browserRequests: browser.requests };
}

/** Runs `count` flows, `concurrency` at a time; returns each flow's result and the wall time. */
export async function runFlows(tpp: Tpp, count: number, concurrency: number) {
  const results: FlowResult[] = [];
  let started = 0;
  const start = performance.now();
  const worker = async () => {
    while (started < count) {
      started += 1;
      results.push(await runFlow(tpp));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { results, wallMs: performance.now() - start };
}
