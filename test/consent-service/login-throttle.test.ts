import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import type { TppClient } from '@bund/consent-service/demo/tpp-client';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { Browser } from '../support/browser.js';
import type { Page } from '../support/browser.js';
import { ConsentStack } from '../support/consent-stack.js';
import { metricValue } from '../support/metrics-text.js';

const LOCKED = /too many failed attempts to log in/;
const WRONG = /login name or password is not right/;

describe('Login throttling: password guessing is paused at the consent screen and the dashboard', () => {
  let stack: ConsentStack;
  let tpp: TppClient;
  /** The throttle's clock: tests move it on instead of waiting out the lock. */
  let now = Date.now();

  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start({
      loginThrottle: {
        maxFailuresPerUser: 3,
        maxFailuresPerAddress: 6,
        windowMs: 60_000,
        now: () => now,
      },
    });
    tpp = await createTppClient({
      issuer: stack.issuer,
      clientId: stack.tpps.a.clientId,
      privateJwk: stack.tpps.a.privateJwk,
    });
  });
  after(async () => stack?.stop());
  beforeEach(() => {
    // Past every earlier test's window.
    now += 10 * 60_000;
  });

  async function dashboardLogin(browser: Browser, username: string, password: string) {
    const login = await browser.open(`${stack.issuer}/dashboard`);
    return browser.submit(login, '/dashboard/login', { username, password });
  }

  it('locks a login name after repeated wrong passwords, even for the right one, then lets it in again', async () => {
    const browser = new Browser();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const page = await dashboardLogin(browser, 'lina', 'not-her-password');
      assert.equal(page.status, 401, `attempt ${attempt}`);
      assert.match(page.html, WRONG);
    }
    const locked = await dashboardLogin(browser, 'lina', DEMO_PASSWORD);
    assert.equal(locked.status, 429);
    assert.match(locked.html, LOCKED);
    assert.doesNotMatch(locked.html, /Consents you have given|href="\/dashboard\/consents\//);

    // Another customer is not affected.
    const other = await dashboardLogin(new Browser(), 'wangfang', DEMO_PASSWORD);
    assert.equal(other.status, 200);

    // Once the lock is over, the right password works, and the count starts again.
    now += 61_000;
    const after = await dashboardLogin(browser, 'lina', DEMO_PASSWORD);
    assert.equal(after.status, 200);
    const metrics = await (await fetch(`${stack.issuer}/metrics`)).text();
    assert.ok(
      (metricValue(metrics, 'bund_login_failures_total', { reason: 'too_many_attempts' }) ?? 0) >=
        1,
    );
  });

  it('locks the consent screen login the same way, and the page still lets the customer refuse', async () => {
    const { url } = await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    const browser = new Browser((u) => u.href.startsWith(stack.tpps.a.redirectUri));
    let page: Page = await browser.open(url);
    for (let attempt = 1; attempt <= 3; attempt++) {
      page = await browser.submit(page, '/login', { username: 'chenjie', password: 'guess' });
      assert.equal(page.status, 401, `attempt ${attempt}`);
    }
    page = await browser.submit(page, '/login', { username: 'chenjie', password: DEMO_PASSWORD });
    assert.equal(page.status, 429);
    assert.match(page.html, LOCKED);
    assert.match(page.html, /\/refuse"/, 'the customer can still say no to the TPP');
    // The dashboard shares the count: the name is locked there too.
    const dashboard = await dashboardLogin(new Browser(), 'chenjie', DEMO_PASSWORD);
    assert.equal(dashboard.status, 429);
  });

  it('locks an address that tries many login names, without locking those customers elsewhere', async () => {
    const browser = new Browser();
    const names = ['zhangwei', 'lina', 'wangfang', 'chenjie', 'mingyuan', 'hefeng'];
    for (const name of names) {
      const page = await dashboardLogin(browser, name, 'one-guess-each');
      assert.equal(page.status, 401, name);
    }
    const locked = await dashboardLogin(browser, 'zhangwei', DEMO_PASSWORD);
    assert.equal(locked.status, 429, 'the address is paused');
    // Each name had one failure only: the names themselves are not locked.
    const rows = (await stack.service.db('login_throttle').where('key', 'like', 'user:%')) as {
      failures: number;
      locked_until: number | null;
    }[];
    assert.ok(rows.every((row) => row.locked_until === null));
  });

  it('forgets counts whose window is over', async () => {
    await dashboardLogin(new Browser(), 'hefeng', 'wrong');
    assert.ok((await stack.service.db('login_throttle').count({ n: '*' }))[0]!.n);
    now += 20 * 60_000;
    await stack.service.purgeExpired();
    const [{ n }] = (await stack.service.db('login_throttle').count({ n: '*' })) as [{ n: number }];
    assert.equal(Number(n), 0);
  });
});
