import assert from 'node:assert/strict';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { Browser } from '../support/browser.js';
import { ConsentStack } from '../support/consent-stack.js';

/** The consent screen is where phishing and clickjacking would aim; these are its defences. */
describe('The consent screen’s browser security', () => {
  let stack: ConsentStack;
  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start();
  });
  after(async () => stack?.stop());

  async function loginPage() {
    const tpp = await createTppClient({
      issuer: stack.issuer,
      clientId: stack.tpps.a.clientId,
      privateJwk: stack.tpps.a.privateJwk,
    });
    const { url } = await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    const browser = new Browser();
    const page = await browser.open(url);
    const response = await fetch(page.url, {
      headers: { cookie: await browser.jar.getCookieString(page.url.href) },
    });
    return { browser, page, response };
  }

  it('forbids inline script and framing, and does not leak the URL to other sites', async () => {
    const { response } = await loginPage();
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const html = await response.text();
    assert.doesNotMatch(html, /<script/i);
  });

  it('sets every cookie HttpOnly with a SameSite policy', async () => {
    const { browser, page } = await loginPage();
    const cookies = await browser.jar.getCookies(page.url.href);
    assert.ok(cookies.length > 0);
    for (const cookie of cookies) {
      assert.equal(cookie.httpOnly, true, `${cookie.key} is HttpOnly`);
      assert.ok(
        ['lax', 'strict'].includes(String(cookie.sameSite).toLowerCase()),
        `${cookie.key} has SameSite`,
      );
    }
  });

  it('refuses a form posted without its CSRF token', async () => {
    const { browser, page } = await loginPage();
    const action = /action="([^"]*\/login)"/.exec(page.html)![1]!;
    const posted = await browser.open(new URL(action, page.url), {
      method: 'POST',
      body: new URLSearchParams({ username: 'zhangwei', password: DEMO_PASSWORD }),
    });
    assert.equal(posted.status, 403);
  });

  it('speaks Chinese to a browser that prefers it, and switches on request', async () => {
    const { browser, page } = await loginPage();
    const zh = await browser.open(page.url, {
      headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' },
    });
    assert.match(zh.html, /<html lang="zh-CN"/);
    const en = await browser.open(`${page.url.href}${page.url.search ? '&' : '?'}lang=en`, {
      headers: { 'accept-language': 'zh-CN' },
    });
    assert.match(en.html, /<html lang="en"/);
  });
});
