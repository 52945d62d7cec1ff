import assert from 'node:assert/strict';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import { OIDC_TABLE } from '@bund/consent-service/oidc/knex-adapter';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { ConsentStack } from '../support/consent-stack.js';

const PAR_URN = 'urn:ietf:params:oauth:request_uri:';

/** The text a reader sees: tags dropped, whitespace collapsed. */
function textOf(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A customer who opens a TPP's link too late (or twice) meets an error oidc-provider cannot send
 * back to the TPP; the bank explains it on its own page, in the customer's language.
 */
describe('The authorization endpoint’s error page', () => {
  let stack: ConsentStack;
  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start();
  });
  after(async () => stack?.stop());

  async function open(pathAndQuery: string | URL, headers: Record<string, string> = {}) {
    const response = await fetch(new URL(pathAndQuery, stack.issuer), {
      headers: { accept: 'text/html', ...headers },
    });
    return { response, html: await response.text() };
  }

  /** A link the TPP pushed, made to expire now: what the customer has after the PAR lifetime. */
  async function expiredLink(): Promise<URL> {
    const tpp = await createTppClient({
      issuer: stack.issuer,
      clientId: stack.tpps.a.clientId,
      privateJwk: stack.tpps.a.privateJwk,
    });
    const { url } = await tpp.pushAuthorizationRequest({
      authorizationDetails: [ACCOUNT_INFORMATION],
      redirectUri: stack.tpps.a.redirectUri,
    });
    const id = url.searchParams.get('request_uri')!.slice(PAR_URN.length);
    const expired = await stack.service
      .db(OIDC_TABLE)
      .where({ model: 'PushedAuthorizationRequest', id })
      .update({ expires_at: Math.floor(Date.now() / 1000) - 1 });
    assert.equal(expired, 1);
    return url;
  }

  /** A Bund page with nothing fetched from elsewhere: a bank's network reaches no font CDN. */
  function assertBundPage(html: string, lang: 'en' | 'zh') {
    assert.match(html, new RegExp(`<html lang="${lang === 'en' ? 'en' : 'zh-CN'}"`));
    assert.match(html, /<link rel="stylesheet" href="\/static\/bund.css" \/>/);
    assert.doesNotMatch(html, /fonts\.googleapis|@import|oops/i);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    assert.doesNotMatch(html, /<script|<style/i);
  }

  it('says in English that the link expired and to start again in the app', async () => {
    const { response, html } = await open(await expiredLink(), { 'accept-language': 'en' });
    assert.equal(response.status, 400);
    assertBundPage(html, 'en');
    const text = textOf(html);
    assert.ok(text.includes('This link has expired'), text);
    assert.ok(text.includes('expired or was already used'), text);
    assert.ok(text.includes('go back to the app and start again'), text);
    assert.ok(text.includes('Error code 400 (invalid_request_uri)'), text);
  });

  it('says it in Chinese to a browser that prefers Chinese', async () => {
    const { response, html } = await open(await expiredLink(), {
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
    });
    assert.equal(response.status, 400);
    assertBundPage(html, 'zh');
    const text = textOf(html);
    assert.ok(text.includes('链接已失效'), text);
    assert.ok(text.includes('此链接已过期或已被使用'), text);
    assert.ok(text.includes('请返回应用重新开始'), text);
    assert.ok(text.includes('错误代码 400（invalid_request_uri）'), text);
  });

  it('explains an unknown link the same way, and switches language like every page', async () => {
    const unknown = `/auth?client_id=tpp-a&request_uri=${PAR_URN}unknown`;
    const zh = await open(unknown, { 'accept-language': 'zh-CN' });
    assert.equal(zh.response.status, 400);
    assertBundPage(zh.html, 'zh');
    assert.ok(textOf(zh.html).includes('链接已失效'));

    const switched = await open(`${unknown}&lang=en`, { 'accept-language': 'zh-CN' });
    assertBundPage(switched.html, 'en');
    assert.ok(textOf(switched.html).includes('This link has expired'));
    const remembered = switched.response.headers.get('set-cookie') ?? '';
    assert.match(remembered, /^bund\.lang=en;/);
    const again = await open(unknown, {
      'accept-language': 'zh-CN',
      cookie: remembered.split(';')[0]!,
    });
    assertBundPage(again.html, 'en');
  });

  it('explains any other refused request plainly, with the code for support', async () => {
    const { response, html } = await open('/auth?request_uri=urn:x&client_id=tpp-a');
    assert.equal(response.status, 400);
    assertBundPage(html, 'en');
    const text = textOf(html);
    assert.ok(text.includes('This request cannot go ahead'), text);
    assert.ok(text.includes('nothing has been shared'), text);
    assert.ok(text.includes('Error code 400 (request_uri_not_supported)'), text);
  });

  it('keeps the page’s browser defences and never echoes what the TPP sent as markup', async () => {
    const { response, html } = await open(
      `/auth?client_id=%3Cb%3Etpp&request_uri=${PAR_URN}%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
    );
    assert.equal(response.status, 400);
    assert.doesNotMatch(html, /<script|<b>/i);
    assert.doesNotMatch(html, /\bat [\w.]+ \(|node_modules/, 'no stack trace');
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });
});
