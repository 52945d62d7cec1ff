import {
  accountSummary,
  consentHero,
  errorAlert,
  permissionList,
  requestDetails,
  withdrawNote,
} from './components.js';
import { html } from '@bund/service-kit/html';
import { csrfField, renderDocument } from './layout.js';
import { messages } from './messages.js';
import type { SelectAccountsView } from './view-models.js';

/** Step 1 of an account_information consent: what the TPP asks for, and which accounts. */
export function renderSelectAccounts(view: SelectAccountsView): string {
  const { lang, client, request, error } = view;
  const m = messages[lang];
  const errorText = error === undefined ? undefined : m.selectErrors[error];
  const selected = new Set(view.selected);

  const options = view.accounts.map((account, index) => {
    // Index-based ids: account ids are the bank's and need not be valid or unique as HTML ids.
    const id = `account-${index}`;
    return html`<li>
      <label class="account-option" for="${id}">
        <input
          class="account-option__check"
          type="checkbox"
          id="${id}"
          name="accounts"
          value="${account.id}"
          ${selected.has(account.id) ? html` checked` : ''}
        />
        <span class="account-option__body">${accountSummary(account, lang)}</span>
      </label>
    </li>`;
  });

  return renderDocument({
    view,
    title: m.selectTitle,
    width: 'narrow',
    customerName: view.customerName,
    body: html`${consentHero(client, lang, { step: 1, total: 2 })}
      <section class="card" aria-labelledby="permissions-title">
        <h2 class="card__title" id="permissions-title">${m.permissionsHeading(client.name)}</h2>
        ${permissionList(request, lang)} ${requestDetails(request, lang)}
      </section>
      <section class="card">
        ${errorAlert(lang, errorText)}
        <form class="form" id="accounts-form" method="post" action="${view.action}">
          ${csrfField(view.csrfToken)}
          <fieldset
            class="fieldset"
            ${error === undefined ? '' : html` aria-describedby="form-error"`}
          >
            <legend class="fieldset__legend">${m.selectLegend(client.name)}</legend>
            <p class="hint">${m.selectHint(client.name)}</p>
            <ul class="account-options">
              ${options}
            </ul>
          </fieldset>
          <button type="submit" class="btn btn--primary btn--block">${m.continueButton}</button>
        </form>
        <form class="form form--secondary" method="post" action="${view.refuseAction}">
          ${csrfField(view.csrfToken)}
          <button type="submit" class="btn btn--secondary btn--block">${m.refuseButton}</button>
          <p class="hint hint--center">${m.refuseHint(client.name)}</p>
        </form>
      </section>
      ${withdrawNote(lang)}`,
  });
}
