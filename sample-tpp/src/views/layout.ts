import type { Notice, ProductName } from '../sessions.js';
import { html } from '@bund/service-kit/html';
import type { SafeHtml } from '@bund/service-kit/html';

/** The app's mark, drawn inline so the header needs no extra request. */
export const logo = html`<svg class="logo" viewBox="0 0 40 40" aria-hidden="true" focusable="false">
  <rect width="40" height="40" rx="10" fill="#0e5a73" />
  <path
    d="M6 25c4-4 8-4 12 0s8 4 12 0 4-2 4-2v5s-2 3-6 3-6-3-10-3-6 3-10 3-2-1-2-1z"
    fill="#7fd1c7"
  />
  <path d="M6 18c4-4 8-4 12 0s8 4 12 0 4-2 4-2v4s-2 2-6 2-6-3-10-3-6 3-10 3-2-1-2-1z" fill="#fff" />
</svg>`;

const NAV: { href: string; label: string; product?: ProductName }[] = [
  { href: '/budgeting', label: 'Budget', product: 'budgeting' },
  { href: '/loan', label: 'Business loans', product: 'loan' },
];

/** A whole page: no scripts, no inline styles (the CSP allows neither). */
export function page(options: { title: string; active?: ProductName; body: SafeHtml }): string {
  const nav = NAV.map(
    (item) =>
      html`<a
        href="${item.href}"
        ${item.product === options.active ? html`aria-current="page"` : ''}
        >${item.label}</a
      >`,
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Tidewater Finance</title>
        <link rel="stylesheet" href="/static/sample.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <header class="top">
          <div class="top__inner">
            <a class="brand" href="/"
              >${logo}<span>Tidewater <b>Finance</b></span></a
            >
            <nav class="nav" aria-label="Products">${nav}</nav>
          </div>
        </header>
        <main class="main">${options.body}</main>
        <footer class="foot">
          <p>
            Tidewater Finance is a fictitious third-party app: the sample client of the Bund
            open-banking sandbox. It reads your data only through Bund Bank’s API, and only what you
            consented to.
          </p>
        </footer>
      </body>
    </html>`.toString();
}

/** Why a product page could not be read (the connection stays), or a connection not begun. */
type Trouble = 'unavailable' | 'slow_down' | 'connect_unavailable' | 'connect_refused';

const NOTICES: Record<
  Notice | Trouble,
  { tone: 'info' | 'warn' | 'error'; title: string; text: string }
> = {
  refused: {
    tone: 'info',
    title: 'You chose not to connect',
    text: 'You declined at Bund Bank, so nothing was shared with Tidewater. You can connect whenever you like.',
  },
  revoked: {
    tone: 'warn',
    title: 'Your bank connection was revoked',
    text: 'Access to your data was withdrawn at Bund Bank, so Tidewater can no longer read it. Reconnect to continue.',
  },
  expired: {
    tone: 'warn',
    title: 'Your bank connection has expired',
    text: 'The consent you gave Bund Bank has run out, so Tidewater can no longer read your data. Reconnect to continue.',
  },
  ended: {
    tone: 'warn',
    title: 'Your bank connection has ended',
    text: 'Bund Bank no longer accepts this connection. Reconnect to continue.',
  },
  failed: {
    tone: 'error',
    title: 'We could not connect to your bank',
    // The customer approved, so Bund Bank may hold a live consent (an answer lost on the way
    // back may even have carried tokens): say what is true, not that nothing happened.
    text: 'Something went wrong while finishing the connection, so Tidewater has not read any of your data. Bund Bank may still list the consent you gave; you can revoke it in its consent dashboard. Please try again.',
  },
  disconnected: {
    tone: 'info',
    title: 'Disconnected',
    text: 'We asked Bund Bank to end our access and deleted everything we held for this connection.',
  },
  not_disconnected: {
    tone: 'error',
    title: 'We could not disconnect right now',
    text: 'Bund Bank did not confirm that our access has ended, so your connection is still in place. Please try again.',
  },
  unavailable: {
    tone: 'error',
    title: 'Your bank is not answering right now',
    text: 'Your connection is still in place. Please try again in a moment.',
  },
  connect_unavailable: {
    tone: 'error',
    title: 'Your bank is not answering right now',
    text: 'We could not reach Bund Bank to start connecting, so nothing has changed. Please try again in a moment.',
  },
  connect_refused: {
    tone: 'error',
    title: 'We cannot connect you to your bank',
    // Bund Bank refused how this app asked (its registration or request is wrong): the
    // customer can do nothing about it, and trying again will not help until we fix it.
    text: 'Bund Bank turned down our request to start connecting, so nothing has changed. The problem is in how Tidewater is set up, not with you or your bank account, so trying again will not help until we fix it.',
  },
  slow_down: {
    tone: 'warn',
    title: 'Your bank asks us to slow down',
    text: 'Bund Bank is receiving too many requests from Tidewater. Your connection is still in place. Please try again in a moment.',
  },
};

/** The message box for a notice, announced to screen readers. */
export function notice(kind: Notice | Trouble | undefined): SafeHtml | false {
  if (!kind) return false;
  const { tone, title, text } = NOTICES[kind];
  return html`<div
    class="notice notice--${tone}"
    role="${tone === 'info' ? 'status' : 'alert'}"
    data-notice="${kind}"
  >
    <p class="notice__title">${title}</p>
    <p>${text}</p>
  </div>`;
}

/** A POST button (connect, refresh, disconnect): state changes never happen on a GET. */
export function postButton(
  action: string,
  label: string,
  kind: 'primary' | 'secondary' | 'quiet',
): SafeHtml {
  return html`<form class="inline-form" method="post" action="${action}">
    <button type="submit" class="btn btn--${kind}">${label}</button>
  </form>`;
}

/** The bank did not answer, or asks us to wait: nothing changed, and the customer can retry. */
export function unavailablePage(
  product: ProductName,
  trouble: Trouble = 'unavailable',
  retryAfterSeconds?: number,
): string {
  const wait =
    retryAfterSeconds === undefined
      ? ''
      : retryAfterSeconds < 120
        ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`
        : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  return page({
    title: trouble === 'slow_down' ? 'Please wait a moment' : 'Bank not answering',
    active: product,
    body: html`${notice(trouble)} ${wait && html`<p>Bund Bank asks us to wait ${wait}.</p>`}
      <p><a class="btn btn--primary" href="/${product}">Try again</a></p>`,
  });
}

/** The bank refused how we asked to connect: nothing changed, and retrying will not help. */
export function connectRefusedPage(product: ProductName): string {
  return page({
    title: 'Cannot connect',
    active: product,
    body: html`${notice('connect_refused')}
      <p><a class="btn btn--secondary" href="/${product}">Back</a></p>`,
  });
}
