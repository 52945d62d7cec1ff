import assert from 'node:assert/strict';
import { DEMO_PASSWORD, createDatabase, migrate } from '@bund/service-kit';
import type { Knex } from '@bund/service-kit';
import { migrations } from '@bund/consent-service/db/migrations';
import { LoginThrottle } from '@bund/consent-service/login/login-throttle';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import type { TppClient } from '@bund/consent-service/demo/tpp-client';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { Browser } from '../support/browser.js';
import type { Page } from '../support/browser.js';
import { ConsentStack } from '../support/consent-stack.js';
import { metricValue } from '../support/metrics-text.js';
import { dropSchema, reachablePostgres, uniqueSchema } from '../support/postgres.js';

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
        maxAttemptsPerUser: 3,
        maxAttemptsPerAddress: 6,
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
    // Each name had one or two attempts: the names themselves are not paused.
    const rows = (await stack.service.db('login_throttle').where('key', 'like', 'user:%')) as {
      attempts: number;
    }[];
    assert.equal(rows.length, names.length);
    assert.ok(rows.every((row) => row.attempts <= 2));
    const elsewhere = await dashboardLogin(new Browser(), 'hefeng', DEMO_PASSWORD);
    assert.equal(elsewhere.status, 429, 'the same address is still paused');
  });

  it('does not let a customer retrying a paused name lock out others behind the same address', async () => {
    const browser = new Browser();
    for (let attempt = 1; attempt <= 3; attempt++)
      assert.equal((await dashboardLogin(browser, 'lina', 'wrong')).status, 401);
    // Five more tries while paused: refused without asking the bank.
    for (let attempt = 1; attempt <= 5; attempt++)
      assert.equal((await dashboardLogin(browser, 'lina', DEMO_PASSWORD)).status, 429);
    // Only the three guesses the bank checked count against the address (allowance 6).
    const colleague = await dashboardLogin(new Browser(), 'wangfang', DEMO_PASSWORD);
    assert.equal(colleague.status, 200);
  });

  it('counts guesses sent in parallel before any is answered', async () => {
    const browser = new Browser();
    const login = await browser.open(`${stack.issuer}/dashboard`);
    const pages = await Promise.all(
      Array.from({ length: 8 }, () =>
        browser.submit(login, '/dashboard/login', { username: 'wangfang', password: 'guess' }),
      ),
    );
    const statuses = pages.map((page) => page.status).sort();
    assert.deepEqual(
      statuses.filter((status) => status === 401).length,
      3,
      `only 3 guesses reach the bank: ${statuses.join(', ')}`,
    );
    assert.equal(statuses.filter((status) => status === 429).length, 5);
  });

  it('answers a very long login name as a wrong login, not a server error', async () => {
    const long = await dashboardLogin(new Browser(), 'x'.repeat(5000), 'guess');
    assert.equal(long.status, 401);
    assert.match(long.html, WRONG);
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

describe('Login throttling behind a reverse proxy (TRUST_PROXY): the customer’s address counts', () => {
  let stack: ConsentStack;

  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start({
      // The test's requests come from loopback, standing in for the proxy in front.
      trustProxy: 'loopback',
      loginThrottle: { maxAttemptsPerUser: 50, maxAttemptsPerAddress: 3, windowMs: 60_000 },
    });
  });
  after(async () => stack?.stop());

  /** One wrong dashboard login from `address`, as the proxy reports it. */
  async function guessFrom(address: string, username = 'lina') {
    const browser = new Browser();
    const headers = { 'x-forwarded-for': address };
    const login = await browser.open(`${stack.issuer}/dashboard`, { headers });
    const page = await browser.submit(
      login,
      '/dashboard/login',
      { username, password: 'guess' },
      headers,
    );
    return page.status;
  }

  it('pauses the address the proxy names, not the proxy, and one IPv6 /64 as one address', async () => {
    for (const address of ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:db8:1:2:ffff::1'])
      assert.equal(await guessFrom(address), 401, address);
    // Another address in the same /64: already paused.
    assert.equal(await guessFrom('2001:db8:1:2:1234:5678:9abc:def0'), 429);
    // The next /64, and an IPv4 customer behind the same proxy, are not.
    assert.equal(await guessFrom('2001:db8:1:3::a'), 401);
    assert.equal(await guessFrom('203.0.113.7'), 401);
  });
});

describe('Login throttling on PostgreSQL: two replicas share one count', function () {
  let url: string | undefined;
  const schema = uniqueSchema('login_throttle');
  const dbs: Knex[] = [];

  before(async function () {
    url = await reachablePostgres();
    if (!url) this.skip();
  });
  after(async () => {
    await Promise.all(dbs.map((db) => db.destroy()));
    if (url) await dropSchema(url, schema);
  });

  it('lets exactly the allowed attempts through when both replicas are guessed at in parallel', async () => {
    for (let i = 0; i < 2; i++)
      dbs.push(createDatabase({ databaseUrl: url!, sqliteFile: '', schema }));
    await migrate(dbs[0]!, migrations);
    const options = { maxAttemptsPerUser: 4, maxAttemptsPerAddress: 100, windowMs: 60_000 };
    const replicas = dbs.map((db) => new LoginThrottle(db, options));
    const waits = await Promise.all(
      Array.from({ length: 12 }, (_, i) => replicas[i % 2]!.attempt('lina', `10.0.0.${i}`)),
    );
    assert.equal(waits.filter((ms) => ms === 0).length, 4);
    assert.ok(waits.every((ms) => ms === 0 || (ms > 0 && ms <= 60_000)));
    // A success gives the address's attempt back and clears the name.
    await replicas[0]!.release('lina', '10.0.0.0', true);
    assert.equal(await replicas[1]!.attempt('lina', '10.0.0.0'), 0);
  });
});
