import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { CookieJar } from 'tough-cookie';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import { DEMO_PASSWORD } from '@bund/service-kit/demo-customers';

/** The demo TPP of consent-service/config/clients.json; its key is generated under DATA_DIR. */
const CLIENT_ID = 'bund-demo-tpp';
const REDIRECT_URI = 'http://localhost:8765/callback';

export interface Grant {
  accessToken: string;
  /** The DPoP private key the token is bound to (`cnf.jkt`), to sign proofs with. */
  dpopPrivateJwk: JWK;
}

interface Page {
  url: URL;
  html: string;
}

const decode = (text: string) =>
  text
    .replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');

/**
 * The customer's browser, as far as the journey needs: cookies, redirects followed by hand up
 * to the TPP's redirect URI (captured, not fetched), forms posted with their CSRF token.
 */
class Browser {
  private readonly jar = new CookieJar();

  async open(start: URL, body?: URLSearchParams): Promise<Page> {
    let url = start;
    let form = body;
    for (let hop = 0; hop < 20; hop++) {
      if (url.href.startsWith(REDIRECT_URI)) return { url, html: '' };
      const cookie = await this.jar.getCookieString(url.href);
      const response = await fetch(url, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: form.toString() } : {}),
      });
      for (const setCookie of response.headers.getSetCookie())
        await this.jar.setCookie(setCookie, url.href);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url);
        form = undefined;
        continue;
      }
      return { url, html: await response.text() };
    }
    throw new Error(`too many redirects from ${start.href}`);
  }

  submit(page: Page, action: string, fields: Record<string, string> = {}): Promise<Page> {
    const forms = [...page.html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((match) => decode(match[1]!).includes(action));
    if (!form) throw new Error(`the page ${page.url.href} has no form posting to ${action}`);
    const csrf =
      /name="_csrf"\s+value="([^"]*)"/.exec(form[2]!)?.[1] ??
      /value="([^"]*)"\s+name="_csrf"/.exec(form[2]!)?.[1];
    const body = new URLSearchParams(fields);
    if (csrf !== undefined) body.set('_csrf', decode(csrf));
    return this.open(new URL(decode(form[1]!), page.url), body);
  }
}

/**
 * A DPoP-bound access token for `account`'s balances, got as a TPP gets one: the demo TPP
 * pushes the request (PAR, PKCE, private_key_jwt, DPoP), the customer `zhangwei` logs in,
 * chooses the account and approves, and the TPP redeems the code.
 */
export async function grantBalances(
  issuer: string,
  dataDir: string,
  account: string,
): Promise<Grant> {
  const privateJwk = JSON.parse(
    readFileSync(path.join(dataDir, 'secrets', `${CLIENT_ID}.private.jwk.json`), 'utf8'),
  ) as JWK;
  const dpopKeyPair = await generateKeyPair('ES256', { extractable: true });
  const tpp = await createTppClient({ issuer, clientId: CLIENT_ID, privateJwk, dpopKeyPair });
  const { url, checks } = await tpp.pushAuthorizationRequest({
    authorizationDetails: [
      {
        type: 'account_information',
        permissions: ['ReadAccountsBasic', 'ReadBalances'],
        expirationDateTime: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
    ],
    redirectUri: REDIRECT_URI,
  });
  const browser = new Browser();
  let page = await browser.open(url);
  page = await browser.submit(page, '/login', { username: 'zhangwei', password: DEMO_PASSWORD });
  page = await browser.submit(page, '/accounts', { accounts: account });
  const back = await browser.submit(page, '/approve');
  if (!back.url.href.startsWith(REDIRECT_URI))
    throw new Error(`the journey did not return to the TPP: ended at ${back.url.href}`);
  const tokens = await tpp.exchangeCode(back.url, checks);
  return {
    accessToken: tokens.access_token,
    dpopPrivateJwk: await exportJWK(dpopKeyPair.privateKey),
  };
}
