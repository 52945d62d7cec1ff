import { html } from '@bund/service-kit/html';
import { renderDocument } from './layout.js';
import { messages } from './messages.js';
import type { ErrorView } from './view-models.js';

/** A problem explained in words, with the way on when there is one. */
export function renderError(view: ErrorView): string {
  const m = messages[view.lang];
  const text = m.errorPages[view.error];
  return renderDocument({
    view,
    title: text.title,
    width: 'narrow',
    body: html`<section class="card error-page">
      <span class="error-page__icon" aria-hidden="true">!</span>
      <h1 class="page-title">${text.title}</h1>
      <p class="lead">${text.body}</p>
      ${view.continueHref !== undefined && html`<a class="btn btn--primary" href="${view.continueHref}">${m.continueLink}</a>`}
      <p class="error-page__code">${m.errorCode(view.status, view.supportCode)}</p>
    </section>`,
  });
}
