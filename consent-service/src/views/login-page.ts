import { consentHero, errorAlert, permissionList, requestDetails } from './components.js';
import { html } from '@bund/service-kit/html';
import { csrfField, renderDocument } from './layout.js';
import { messages } from './messages.js';
import type { LoginView } from './view-models.js';

/**
 * The bank's login: either the first step of authorising a TPP (`client` set; the TPP and what
 * it asks for are shown so the customer knows why they are logging in) or the way into the
 * dashboard.
 */
export function renderLogin(view: LoginView): string {
  const { lang, client, request, error } = view;
  const m = messages[lang];
  const errorText = error === undefined ? undefined : m.loginErrors[error];
  const invalid =
    error === undefined ? '' : html` aria-invalid="true" aria-describedby="form-error"`;

  const intro =
    client === undefined
      ? html`<h1 class="page-title">${m.loginDashboardTitle}</h1>
          <p class="lead">${m.loginIntroDashboard}</p>`
      : html`${consentHero(client, lang)}
          <p class="lead">${m.loginIntroAuthorise(client.name)}</p>`;

  const form = html`<section class="card" aria-labelledby="login-title">
    <h2 class="card__title" id="login-title">${m.loginTitle}</h2>
    ${errorAlert(lang, errorText)}
    <form class="form" method="post" action="${view.action}">
      ${csrfField(view.csrfToken)}
      <div class="field">
        <label class="field__label" for="username">${m.usernameLabel}</label>
        <input
          class="field__input"
          id="username"
          name="username"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          value="${view.username ?? ''}"
          ${invalid}
        />
      </div>
      <div class="field">
        <label class="field__label" for="password">${m.passwordLabel}</label>
        <input
          class="field__input"
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required${invalid}
        />
      </div>
      <button type="submit" class="btn btn--primary btn--block">${m.loginButton}</button>
    </form>
    ${
      view.refuseAction !== undefined &&
      client !== undefined &&
      html`<form class="form form--secondary" method="post" action="${view.refuseAction}">
        ${csrfField(view.csrfToken)}
        <button type="submit" class="btn btn--secondary btn--block">${m.refuseButton}</button>
        <p class="hint hint--center">${m.refuseHint(client.name)}</p>
      </form>`
    }
  </section>`;

  // Collapsed by default: logging in comes first, but the customer can check the request
  // before typing a password, and it works without JavaScript.
  const summary =
    client !== undefined &&
    request !== undefined &&
    html`<details class="card request-summary">
      <summary class="request-summary__toggle">${m.requestSummary(client.name)}</summary>
      ${permissionList(request, lang)} ${requestDetails(request, lang)}
    </details>`;

  return renderDocument({
    view,
    title: client === undefined ? m.loginDashboardTitle : m.loginTitle,
    width: 'narrow',
    body: html`${intro} ${form} ${summary}`,
  });
}
