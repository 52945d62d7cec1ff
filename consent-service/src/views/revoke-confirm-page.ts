import { tppLogo } from './components.js';
import { html } from '@bund/service-kit/html';
import { csrfField, renderDocument } from './layout.js';
import { messages } from './messages.js';
import type { RevokeConfirmView } from './view-models.js';

/** The one question before a revocation, with a way back that changes nothing. */
export function renderRevokeConfirm(view: RevokeConfirmView): string {
  const { lang, consent } = view;
  const m = messages[lang];
  const name = consent.client.name;
  return renderDocument({
    view,
    title: m.revokeTitle(name),
    width: 'narrow',
    customerName: view.customerName,
    logoutAction: view.logoutAction,
    body: html`<section class="card confirm">
      ${tppLogo(consent.client, lang, 'large')}
      <h1 class="page-title">${m.revokeTitle(name)}</h1>
      <p class="lead">${m.revokeBody(name)}</p>
      <p class="hint">${m.revokeKeptData(name)}</p>
      <form class="form" method="post" action="${view.revokeAction}">
        ${csrfField(view.csrfToken)}
        <button type="submit" class="btn btn--danger btn--block">${m.confirmRevoke}</button>
      </form>
      <a class="btn btn--secondary btn--block" href="${view.cancelHref}">${m.cancelRevoke}</a>
    </section>`,
  });
}
