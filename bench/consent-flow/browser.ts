import { CookieJar } from 'tough-cookie';

/** One page as the browser received it. */
export interface Page {
  url: URL;
  status: number;
  html: string;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};
const decode = (text: string) =>
  text.replace(/&(amp|quot|#39|lt|gt);/g, (entity) => ENTITIES[entity]!);

/**
 * The customer's browser, reduced to what the flow needs: a cookie jar, redirects followed by
 * hand (so the last one, to the TPP, is captured instead of fetched), forms submitted with
 * their hidden fields (Bund's CSRF token). Counts its HTTP requests.
 */
export class Browser {
  readonly jar = new CookieJar();
  requests = 0;

  constructor(private readonly stopAt: (url: URL) => boolean) {}

  /** Follows redirects until a page answers, or a URL `stopAt` accepts is reached. */
  async open(
    url: URL | string,
    init: { method?: string; body?: URLSearchParams } = {},
  ): Promise<Page> {
    let current = new URL(url);
    let method = init.method ?? 'GET';
    let body = init.body;
    for (let hop = 0; hop < 20; hop++) {
      if (this.stopAt(current)) return { url: current, status: 0, html: '' };
      const cookie = await this.jar.getCookieString(current.href);
      this.requests += 1;
      const response = await fetch(current, {
        method,
        redirect: 'manual',
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(body ? { body: body.toString() } : {}),
      });
      for (const setCookie of response.headers.getSetCookie())
        await this.jar.setCookie(setCookie, current.href);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current);
        method = 'GET';
        body = undefined;
        continue;
      }
      return { url: current, status: response.status, html: await response.text() };
    }
    throw new Error(`too many redirects from ${String(url)}`);
  }

  /** Submits the form whose action contains `actionPart`, with its hidden fields and `fields`. */
  async submit(
    page: Page,
    actionPart: string,
    fields: Record<string, string | string[]> = {},
  ): Promise<Page> {
    const forms = [...page.html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((match) => decode(match[1]!).includes(actionPart));
    if (!form) {
      throw new Error(
        `no form posting to ${actionPart} on ${page.url.href} (${page.status}):\n${page.html.slice(0, 500)}`,
      );
    }
    const body = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1];
      if (name !== undefined && value !== undefined) body.append(decode(name), decode(value));
    }
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    }
    return this.open(new URL(decode(form[1]!), page.url), { method: 'POST', body });
  }
}
