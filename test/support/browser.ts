import { CookieJar } from 'tough-cookie';

/** One page as the browser received it. */
export interface Page {
  url: URL;
  status: number;
  html: string;
}

/**
 * A minimal browser over HTTP for driving the customer's pages in tests: a cookie jar, manual
 * redirects (so the final redirect to the TPP can be captured rather than followed), and form
 * submission with the page's CSRF token.
 */
export class Browser {
  readonly jar = new CookieJar();

  constructor(private readonly stopAt: (url: URL) => boolean = () => false) {}

  /** Follows redirects until a page answers, or a URL `stopAt` accepts is reached. */
  async open(
    url: URL | string,
    init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    let current = new URL(url);
    let method = init.method ?? 'GET';
    let body: URLSearchParams | undefined = init.body;
    for (let hop = 0; hop < 20; hop++) {
      if (this.stopAt(current)) return { url: current, status: 0, html: '' };
      const cookie = await this.jar.getCookieString(current.href);
      const response = await fetch(current, {
        method,
        redirect: 'manual',
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...init.headers,
        },
        ...(body ? { body: body.toString() } : {}),
      });
      for (const setCookie of response.headers.getSetCookie())
        await this.jar.setCookie(setCookie, current.href);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current);
        method = 'GET';
        body = undefined;
        continue;
      }
      return { url: current, status: response.status, html: await response.text() };
    }
    throw new Error(`too many redirects from ${String(url)}`);
  }

  /** Submits the form whose action contains `actionPart`, with the page's CSRF token added. */
  async submit(
    page: Page,
    actionPart: string,
    fields: Record<string, string | string[]> = {},
    headers: Record<string, string> = {},
  ): Promise<Page> {
    const forms = [...page.html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((match) => decode(match[1]!).includes(actionPart));
    if (!form)
      throw new Error(
        `no form with action containing ${actionPart} on ${page.url.href}:\n${page.html.slice(0, 2000)}`,
      );
    const csrf =
      /name="_csrf"\s+value="([^"]*)"/.exec(form[2]!)?.[1] ??
      /value="([^"]*)"\s+name="_csrf"/.exec(form[2]!)?.[1];
    const body = new URLSearchParams();
    if (csrf !== undefined) body.set('_csrf', decode(csrf));
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    }
    return this.open(new URL(decode(form[1]!), page.url), { method: 'POST', body, headers });
  }
}

function decode(text: string): string {
  return text
    .replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
}
