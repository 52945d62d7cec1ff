import assert from 'node:assert/strict';
import {
  Browser,
  SampleStack,
  connectThroughBank,
  revokeInDashboard,
} from '../support/sample-stack.js';
import type { Page } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { loadSampleTppConfig } from '@bund/sample-tpp/config';
import { SessionStore } from '@bund/sample-tpp/sessions';
import type { Session } from '@bund/sample-tpp/sessions';
import type { Tokens } from '@bund/sample-tpp/open-banking';
import type { ConfigError } from '@bund/service-kit';

/** What a token could look like in a page or a log: a JWT, or any long opaque string. */
const JWT = /eyJ[\w-]+\.eyJ[\w-]+/;
const LONG_OPAQUE = /[A-Za-z0-9_-]{40,}/;

/** The account ids shown on the budgeting page, in order. */
const shownAccounts = (page: Page) =>
  [...page.html.matchAll(/data-account="([^"]+)"/g)].map((m) => m[1]);

const noticeOf = (page: Page) => /data-notice="([^"]+)"/.exec(page.html)?.[1];

describe('sample TPP configuration', () => {
  it('has working defaults and names an invalid variable', () => {
    const config = loadSampleTppConfig({ DATA_DIR: '/srv/bund' });
    assert.equal(config.port, 8090);
    assert.equal(config.publicUrl, 'http://localhost:8090');
    assert.equal(config.issuer, 'http://localhost:3000');
    assert.equal(config.gatewayUrl, 'http://localhost:8080');
    assert.equal(config.clientId, 'bund-sample-tpp');
    assert.equal(config.clientKeyFile, '/srv/bund/secrets/bund-sample-tpp.private.jwk.json');
    assert.throws(
      () => loadSampleTppConfig({ SAMPLE_TPP_PORT: 'eighty' }),
      (error: ConfigError) => error.variables.includes('SAMPLE_TPP_PORT'),
    );
  });
});

describe('sample TPP sessions', () => {
  type Req = Parameters<SessionStore['find']>[0];
  type Res = Parameters<SessionStore['findOrCreate']>[1];

  /** One browser: its cookie, and the store's answer for it. */
  function visitor(store: SessionStore) {
    let cookie = '';
    const req = () => ({ headers: { cookie } }) as Req;
    const res = { cookie: (_name: string, id: string) => (cookie = `tidewater_session=${id}`) };
    return {
      create: () => store.findOrCreate(req(), res as unknown as Res, async () => ({}) as never),
      find: () => store.find(req()),
    };
  }
  const idle = (session: Session, minutes: number) => (session.lastSeen -= minutes * 60_000);

  it('keeps at most maxSessions, forgetting the least recently used', async () => {
    const store = new SessionStore({ secureCookie: false, maxSessions: 3 });
    const [a, b, c, d] = [1, 2, 3, 4].map(() => visitor(store));
    for (const v of [a!, b!, c!]) await v.create();
    assert.ok(a!.find(), 'a is now the most recently used');
    await d!.create();
    assert.equal(b!.find(), undefined);
    for (const v of [a!, c!, d!]) assert.ok(v.find());
    store.close();
  });

  it('forgets idle sessions: after 15 minutes without a connection, 8 hours with one', async () => {
    const store = new SessionStore({ secureCookie: false });
    const [journey, connected] = [visitor(store), visitor(store)];
    idle(await journey.create(), 16);
    const session = await connected.create();
    session.products.budgeting = { tokens: {} as Tokens };
    idle(session, 16);
    assert.equal(journey.find(), undefined);
    assert.ok(connected.find());
    idle(session, 8 * 60 + 1);
    assert.equal(connected.find(), undefined);
    store.close();
  });
});

describe('sample TPP (Tidewater Finance)', function () {
  this.timeout(30_000);
  let env: SampleStack;
  const pages: Page[] = [];

  before(async () => {
    env = await SampleStack.start();
  });
  after(async () => {
    await env?.stop();
  });

  /** Every sample-app page a test saw, for the token checks at the end. */
  const seen = (page: Page) => {
    if (page.url.href.startsWith(env.url)) pages.push(page);
    return page;
  };

  it('shows its two products on the landing page, with a strict CSP and no scripts', async () => {
    const response = await fetch(`${env.url}/`);
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(html, /Tidewater Budget/);
    assert.match(html, /Tidewater Business Loans/);
    assert.doesNotMatch(html, /<script/i);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`form-action 'self' ${env.stack.consent.url}`));
    assert.equal(response.headers.get('referrer-policy'), 'same-origin');
    assert.equal(response.headers.get('set-cookie'), null, 'no session before connecting');
  });

  it('budgeting: connect → consent to 2 of 3 accounts → shows exactly those, with balances and transactions', async () => {
    const browser = new Browser();
    const page = seen(
      await connectThroughBank(browser, env.url, 'budgeting', {
        accounts: ['acc-0001-01', 'acc-0001-03'],
      }),
    );
    assert.equal(page.url.href, `${env.url}/budgeting`);
    assert.equal(page.status, 200);
    assert.deepEqual(shownAccounts(page), ['acc-0001-01', 'acc-0001-03']);
    assert.match(page.html, /Salary account/);
    assert.match(page.html, /Everyday credit card/);
    assert.doesNotMatch(page.html, /Home savings/);
    assert.match(page.html, /Available credit/);
    assert.match(page.html, /¥[\d,]+\.\d{2}/);
    // 10 transactions per account, read through the gateway.
    assert.equal([...page.html.matchAll(/<tr>\s*<td class="nowrap">/g)].length, 20);
    const calls =
      await env.stack.gateway.httpMetrics.registry.getSingleMetricAsString('http_requests_total');
    assert.match(calls, /route="listAccountTransactions",method="GET",status="200"[^}]*\} 2/);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, for the whole app', async () => {
    const browser = new Browser();
    const landing = await browser.open(`${env.url}/budgeting`);
    const response = await fetch(`${env.url}/budgeting/connect`, {
      method: 'POST',
      redirect: 'manual',
    });
    assert.equal(response.status, 303);
    assert.match(response.headers.get('location')!, /\/authorize\?|\/auth\?/);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('tidewater_session='));
    assert.ok(cookie, 'a session cookie');
    assert.match(cookie, /; HttpOnly/i);
    assert.match(cookie, /; SameSite=Lax/i);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /; Secure/i, 'plain http in the sandbox');
    assert.match(landing.html, /Connect your bank/);
  });

  it('refuses a POST from another site', async () => {
    const response = await fetch(`${env.url}/budgeting/connect`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(response.status, 403);
  });

  it('shows the refusal when the customer refuses on the consent screen', async () => {
    const browser = new Browser();
    const page = seen(
      await connectThroughBank(browser, env.url, 'budgeting', { decision: 'refuse' }),
    );
    assert.equal(page.url.href, `${env.url}/budgeting`);
    assert.equal(noticeOf(page), 'refused');
    assert.match(page.html, /You chose not to connect/);
    assert.match(page.html, /Reconnect your bank/);
    assert.deepEqual(shownAccounts(page), []);
  });

  it('after a revoke in the bank dashboard, the next refresh shows the revoked message, and reconnecting works', async () => {
    const browser = new Browser();
    let page = seen(
      await connectThroughBank(browser, env.url, 'budgeting', { accounts: ['acc-0001-02'] }),
    );
    assert.deepEqual(shownAccounts(page), ['acc-0001-02']);

    const revoked = await revokeInDashboard(browser, env.stack.consent.url);
    assert.match(revoked.url.href, /notice=revoked/);

    page = seen(await browser.submit(page, '/budgeting/refresh'));
    assert.equal(page.url.href, `${env.url}/budgeting`);
    assert.equal(noticeOf(page), 'revoked');
    assert.match(page.html, /Your bank connection was revoked/);
    assert.deepEqual(shownAccounts(page), []);

    // The message stays until the customer reconnects.
    page = seen(await browser.open(`${env.url}/budgeting`));
    assert.equal(noticeOf(page), 'revoked');
    page = seen(
      await connectThroughBank(browser, env.url, 'budgeting', { accounts: ['acc-0001-01'] }),
    );
    assert.equal(noticeOf(page), undefined);
    assert.deepEqual(shownAccounts(page), ['acc-0001-01']);
  });

  it('a page read after the revoke (no refresh) shows the revoked message from the gateway', async () => {
    const browser = new Browser();
    const page = seen(await connectThroughBank(browser, env.url, 'budgeting'));
    assert.deepEqual(shownAccounts(page), ['acc-0001-01']);
    await revokeInDashboard(browser, env.stack.consent.url);
    // The gateway learns of the revocation from the change feed within a second.
    await eventually(
      'the revoked notice',
      async () => {
        const again = seen(await browser.open(`${env.url}/budgeting`));
        return noticeOf(again) === 'revoked';
      },
      3000,
    );
  });

  it('an expired consent: the next refresh says the connection has expired', async () => {
    const browser = new Browser();
    const page = seen(await connectThroughBank(browser, env.url, 'loan'));
    assert.match(page.html, /Company profile/);
    const [consent] = (
      await env.stack.consentService.consents.store.listForCustomer('cus-0101')
    ).filter((c) => c.status === 'Authorised');
    await env.stack.consentService.consents.transition(consent!.id, 'Expired', 'expired', 'system');
    const after = seen(await browser.submit(page, '/loan/refresh'));
    assert.equal(noticeOf(after), 'expired');
    assert.match(after.html, /Your bank connection has expired/);
    assert.match(after.html, /Share credit data again/);
  });

  it('disconnect ends the consent at the bank', async () => {
    const browser = new Browser();
    const page = seen(await connectThroughBank(browser, env.url, 'budgeting'));
    const consentsBefore =
      await env.stack.consentService.consents.store.listForCustomer('cus-0001');
    const after = seen(await browser.submit(page, '/budgeting/disconnect'));
    assert.equal(noticeOf(after), 'disconnected');
    const consentsAfter = await env.stack.consentService.consents.store.listForCustomer('cus-0001');
    const authorised = (list: typeof consentsBefore) =>
      list.filter((c) => c.status === 'Authorised').length;
    assert.equal(authorised(consentsAfter), authorised(consentsBefore) - 1);
    assert.ok(
      consentsAfter.some((c) => c.status === 'Revoked' && c.statusReason === 'tpp_revoked'),
    );
  });

  it('does not start a new connection while one is live, so its consent can still be ended', async () => {
    const browser = new Browser();
    const page = seen(await connectThroughBank(browser, env.url, 'budgeting'));
    const again = seen(await browser.open(`${env.url}/budgeting/connect`, { method: 'POST' }));
    assert.equal(again.url.href, `${env.url}/budgeting`, 'not sent to the bank');
    assert.deepEqual(shownAccounts(again), shownAccounts(page));
    // The newest authorised consent (the list is newest first) is this connection's.
    const consentId = (
      await env.stack.consentService.consents.store.listForCustomer('cus-0001')
    ).find((c) => c.status === 'Authorised')!.id;
    seen(await browser.submit(again, '/budgeting/disconnect'));
    const ended = await env.stack.consentService.consents.store.listForCustomer('cus-0001');
    assert.equal(ended.find((c) => c.id === consentId)?.status, 'Revoked');
  });

  it('a disconnect the bank does not confirm keeps the connection and says so', async () => {
    const browser = new Browser();
    const page = seen(await connectThroughBank(browser, env.url, 'budgeting'));
    // The consent service answers the withdrawal with 503 (everything else still works).
    const consentService = env.stack.consent.handler;
    const serve = consentService.current;
    consentService.current = (req, res) =>
      req.method === 'DELETE' ? res.writeHead(503).end() : serve(req, res);
    let failed: Page;
    try {
      failed = seen(await browser.submit(page, '/budgeting/disconnect'));
    } finally {
      consentService.current = serve;
    }
    assert.equal(noticeOf(failed), 'not_disconnected');
    assert.match(failed.html, /We could not disconnect right now/);
    assert.deepEqual(shownAccounts(failed), ['acc-0001-01']);
    // Said once; the connection still works and can be ended.
    const again = seen(await browser.open(`${env.url}/budgeting`));
    assert.equal(noticeOf(again), undefined);
    assert.deepEqual(shownAccounts(again), ['acc-0001-01']);
    assert.equal(
      noticeOf(seen(await browser.submit(again, '/budgeting/disconnect'))),
      'disconnected',
    );
  });

  it('disconnect after a revoke at the bank (not yet noticed) is simply done', async () => {
    const browser = new Browser();
    const page = seen(await connectThroughBank(browser, env.url, 'budgeting'));
    await revokeInDashboard(browser, env.stack.consent.url);
    const after = seen(await browser.submit(page, '/budgeting/disconnect'));
    assert.equal(noticeOf(after), 'disconnected');
  });

  it('loan: consent to credit data sharing → shows the credit profile, tax grades and invoice trend', async () => {
    const browser = new Browser();
    const page = seen(await connectThroughBank(browser, env.url, 'loan'));
    assert.equal(page.url.href, `${env.url}/loan`);
    assert.equal(page.status, 200);
    assert.match(page.html, /Shanghai Mingyuan Technology Co\., Ltd\./);
    assert.match(page.html, /91310115MA1K4B7DXG/);
    assert.match(page.html, /Tax credit grades/);
    assert.match(page.html, /class="grade grade--[ABMCD]"/);
    assert.match(page.html, /Invoice trend/);
    assert.equal([...page.html.matchAll(/<rect\s[^>]*class="bar/g)].length, 24);
  });

  it('says the bank is not answering when the gateway answers 5xx, and keeps the connection', async () => {
    const browser = new Browser();
    const page = seen(await connectThroughBank(browser, env.url, 'budgeting'));
    assert.deepEqual(shownAccounts(page), ['acc-0001-01']);
    const bank = env.stack.bank.handler.current;
    env.stack.bank.handler.current = (_req, res) => res.writeHead(500).end();
    try {
      const down = seen(await browser.open(`${env.url}/budgeting`));
      assert.equal(down.status, 503);
      assert.equal(noticeOf(down), 'unavailable');
      assert.match(down.html, /Your bank is not answering right now/);
    } finally {
      env.stack.bank.handler.current = bank;
    }
    const back = seen(await browser.open(`${env.url}/budgeting`));
    assert.equal(back.status, 200);
    assert.deepEqual(shownAccounts(back), ['acc-0001-01']);
  });

  it('says the bank is not answering when connecting cannot start, and connects once it answers', async () => {
    const consentService = env.stack.consent.handler;
    const serve = consentService.current;
    // The bank's authorization server is gone: every connection to it drops.
    consentService.current = (req) => req.socket.destroy();
    const browser = new Browser();
    let down: Page;
    try {
      const page = await browser.open(`${env.url}/budgeting`);
      down = seen(await browser.submit(page, '/budgeting/connect'));
    } finally {
      consentService.current = serve;
    }
    assert.equal(down.status, 503);
    assert.equal(noticeOf(down), 'connect_unavailable');
    assert.match(down.html, /We could not reach Bund Bank to start connecting/);
    const page = seen(await connectThroughBank(browser, env.url, 'budgeting'));
    assert.deepEqual(shownAccounts(page), ['acc-0001-01']);
  });

  it('says the bank turned down connecting when it refuses the app’s request, and logs the bank’s reason', async () => {
    const misconfigured = await env.withUnregisteredKey();
    const serve = env.slot.handler.current;
    env.slot.handler.current = misconfigured.app as unknown as typeof serve;
    let refused: Page;
    try {
      const browser = new Browser();
      const page = await browser.open(`${env.url}/budgeting`);
      refused = seen(await browser.submit(page, '/budgeting/connect'));
    } finally {
      env.slot.handler.current = serve;
      misconfigured.close();
    }
    assert.equal(refused.status, 502);
    assert.equal(noticeOf(refused), 'connect_refused');
    assert.match(refused.html, /Bund Bank turned down our request to start connecting/);
    assert.doesNotMatch(refused.html, /Try again/, 'retrying cannot help');
    const line = env.logs
      .split('\n')
      .filter(Boolean)
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.msg?.toString().startsWith('the bank refused our pushed'));
    assert.equal(line?.level, 50, 'logged as an error');
    assert.equal(line?.error, 'invalid_client');
    assert.equal(line?.status, 401);
  });

  it('does not claim nothing was shared when the token exchange fails after the customer approved', async () => {
    const consentService = env.stack.consent.handler;
    const serve = consentService.current;
    // Only our server-side code redemption fails; the customer's pages all work.
    consentService.current = (req, res) =>
      req.method === 'POST' && req.url?.startsWith('/token')
        ? res.writeHead(503).end()
        : serve(req, res);
    let failed: Page;
    try {
      failed = seen(await connectThroughBank(new Browser(), env.url, 'budgeting'));
    } finally {
      consentService.current = serve;
    }
    assert.equal(failed.url.href, `${env.url}/budgeting`);
    assert.equal(noticeOf(failed), 'failed');
    assert.match(failed.html, /Tidewater has not read any of your data/);
    assert.match(failed.html, /revoke it in its consent dashboard/);
    assert.doesNotMatch(failed.html, /Nothing was shared/);
    assert.deepEqual(shownAccounts(failed), []);
  });

  it('never puts a token in a page or a log line', async () => {
    const refreshTokens = await env.refreshTokens();
    assert.ok(refreshTokens.length > 0);
    assert.ok(pages.length >= 8);
    for (const page of pages) {
      assert.doesNotMatch(page.html, JWT, page.url.href);
      assert.doesNotMatch(page.html, LONG_OPAQUE, page.url.href);
      for (const token of refreshTokens) assert.ok(!page.html.includes(token));
    }
    assert.ok(env.logs.length > 0, 'the app logged its requests');
    assert.doesNotMatch(env.logs, JWT);
    for (const token of refreshTokens) assert.ok(!env.logs.includes(token));
  });
});

describe('sample TPP when the gateway rate-limits it', function () {
  this.timeout(60_000);
  let env: SampleStack;

  before(async () => {
    // Four calls at once, then one a second: a budget page with one account takes three
    // (accounts, balances, transactions), so the second page load runs out.
    env = await SampleStack.start({ rateLimit: { perSecond: 1, burst: 4 } });
  });
  after(async () => env?.stop());

  it('says the bank asks us to slow down when the gateway answers 429, and keeps the connection', async () => {
    const browser = new Browser();
    const page = await connectThroughBank(browser, env.url, 'budgeting');
    assert.deepEqual(shownAccounts(page), ['acc-0001-01']);
    const slow = await browser.open(`${env.url}/budgeting`);
    assert.equal(slow.status, 503);
    assert.equal(noticeOf(slow), 'slow_down');
    assert.match(slow.html, /Your bank asks us to slow down/);
    assert.match(slow.html, /wait \d+ seconds?/);
    // Once the allowance has refilled, the same connection reads again.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const back = await browser.open(`${env.url}/budgeting`);
    assert.deepEqual(shownAccounts(back), ['acc-0001-01']);
  });
});
