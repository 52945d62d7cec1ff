import { HTML_LANG, languageHref, pick } from './format.js';
import { html, type SafeHtml } from '@bund/service-kit/html';
import { messages } from './messages.js';
import type { Bilingual, Lang, PageContext } from './view-models.js';

/** Where the routes serve `consent-service/static/`. */
export const STATIC_PREFIX = '/static';

/** The bank's mark: drawn inline so the header never depends on a second request. */
export const bankMark = html`<svg
  class="bank-mark"
  viewBox="0 0 32 32"
  aria-hidden="true"
  focusable="false"
>
  <rect width="32" height="32" rx="8" fill="#12355b" />
  <path d="M16 6.5 26 11.5H6z" fill="#e2b457" />
  <rect x="8.5" y="13.5" width="3" height="8" rx="1" fill="#fff" />
  <rect x="14.5" y="13.5" width="3" height="8" rx="1" fill="#fff" />
  <rect x="20.5" y="13.5" width="3" height="8" rx="1" fill="#fff" />
  <rect x="6" y="23" width="20" height="2.5" rx="1" fill="#fff" />
</svg>`;

/** What every page hands to {@link renderDocument}. */
export interface DocumentOptions {
  view: PageContext;
  /** The page's own title; the bank's name is added. */
  title: string;
  /** Flow pages (login, consent) read best narrow; the dashboard needs room for tables. */
  width: 'narrow' | 'wide';
  /** Shows who is signed in, with a log-out button when `logoutAction` is set too. */
  customerName?: Bilingual;
  logoutAction?: string;
  body: SafeHtml;
}

/** The hidden CSRF field every form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

function languageSwitch(view: PageContext): SafeHtml {
  const m = messages[view.lang];
  const link = (lang: Lang, label: string) =>
    html`<a
      href="${languageHref(view.path, lang)}"
      hreflang="${HTML_LANG[lang]}"
      lang="${HTML_LANG[lang]}"
      ${view.lang === lang ? html` aria-current="true"` : ''}
      >${label}</a
    >`;
  return html`<nav class="lang-switch" aria-label="${m.languageSwitch}">
    ${link('zh', '中文')}${link('en', 'English')}
  </nav>`;
}

function sessionBar(options: DocumentOptions): SafeHtml | false {
  const { view, customerName, logoutAction } = options;
  if (customerName === undefined) return false;
  const m = messages[view.lang];
  return html`<div class="session-bar">
    <div class="session-bar__inner">
      <p class="session-bar__who">${m.signedInAs(pick(customerName, view.lang))}</p>
      ${
        logoutAction !== undefined &&
        html`<form class="session-bar__logout" method="post" action="${logoutAction}">
          ${csrfField(view.csrfToken)}
          <button type="submit" class="btn btn--quiet btn--small">${m.logout}</button>
        </form>`
      }
    </div>
  </div>`;
}

/**
 * A complete HTML5 document around `body`: head, bank header with the language switch,
 * optional session bar, main landmark and footer. No scripts and no inline styles, so the
 * page keeps working under `script-src 'none'; style-src 'self'`.
 */
export function renderDocument(options: DocumentOptions): string {
  const { view, title, width, body } = options;
  const m = messages[view.lang];
  return html`<!doctype html>
    <html lang="${HTML_LANG[view.lang]}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title}${m.titleSeparator}${m.bankName}</title>
        <link rel="stylesheet" href="${STATIC_PREFIX}/bund.css" />
        <link rel="icon" href="${STATIC_PREFIX}/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">${m.skipToContent}</a>
        <header class="site-header">
          <div class="site-header__inner">
            <div class="brand">
              ${bankMark}
              <span class="brand__text"
                ><span class="brand__name">${m.bankName}</span
                ><span
                  class="brand__other"
                  lang="${view.lang === 'en' ? HTML_LANG.zh : HTML_LANG.en}"
                  >${m.bankNameOther}</span
                ></span
              >
            </div>
            ${languageSwitch(view)}
          </div>
        </header>
        ${sessionBar(options)}
        <main id="main" class="main main--${width}">${body}</main>
        <footer class="site-footer">
          <div class="site-footer__inner">
            <p>${m.footerSafety}</p>
            <p>${m.footerSandbox}</p>
          </div>
        </footer>
      </body>
    </html> `.toString();
}
