import {
  accountList,
  consentHero,
  errorAlert,
  permissionList,
  requestDetails,
  withdrawNote,
} from './components.js';
import { html } from '@bund/service-kit/html';
import { csrfField, renderDocument } from './layout.js';
import { messages } from './messages.js';
import type { ReviewView } from './view-models.js';

/**
 * The last step: everything the customer is about to allow, on one page, and two separate
 * forms so "allow" and "don't allow" can never be confused by a shared submit.
 */
export function renderReview(view: ReviewView): string {
  const { lang, client, request, error } = view;
  const m = messages[lang];
  const errorText = error === undefined ? undefined : m.reviewErrors[error];
  // Account information has a step before this one; credit data sharing goes straight here.
  const step = request.type === 'account_information' ? { step: 2, total: 2 } : undefined;

  const accounts =
    request.type === 'account_information' &&
    html`<section class="card" aria-labelledby="accounts-title">
      <div class="card__head">
        <h2 class="card__title" id="accounts-title">${m.accountsHeading}</h2>
        ${view.changeAccountsHref !== undefined && html`<a class="card__action" href="${view.changeAccountsHref}">${m.changeAccounts}</a>`}
      </div>
      ${accountList(view.accounts, lang)}
    </section>`;

  return renderDocument({
    view,
    title: m.reviewTitle,
    width: 'narrow',
    customerName: view.customerName,
    body: html`${consentHero(client, lang, step)}
      <p class="lead">${m.reviewIntro(client.name)}</p>
      ${errorAlert(lang, errorText)}
      <section class="card" aria-labelledby="permissions-title">
        <h2 class="card__title" id="permissions-title">${m.permissionsHeading(client.name)}</h2>
        ${permissionList(request, lang)}
      </section>
      ${accounts}
      <section class="card" aria-labelledby="details-title">
        <h2 class="card__title" id="details-title">${m.detailsHeading}</h2>
        ${requestDetails(request, lang, view.subject)}
      </section>
      <div class="decision">
        <form class="form" method="post" action="${view.approveAction}">
          ${csrfField(view.csrfToken)}
          <button type="submit" class="btn btn--primary btn--block">${m.approveButton}</button>
        </form>
        <form class="form" method="post" action="${view.refuseAction}">
          ${csrfField(view.csrfToken)}
          <button type="submit" class="btn btn--secondary btn--block">${m.refuseButton}</button>
        </form>
      </div>
      ${withdrawNote(lang)}`,
  });
}
