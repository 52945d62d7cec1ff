import {
  accountList,
  detailRow,
  permissionList,
  requestDetails,
  statusBadge,
  tppLogo,
} from './components.js';
import { consentDates } from './consent-card.js';
import { formatDateTime, pick } from './format.js';
import { html, type SafeHtml } from '@bund/service-kit/html';
import { renderDocument } from './layout.js';
import { messages, type Messages } from './messages.js';
import type {
  ConsentDetailView,
  ConsentEventView,
  ConsentSummaryView,
  DataAccessView,
  Lang,
} from './view-models.js';

/**
 * A code in words when this page knows it, else the code itself: the view types these as plain
 * strings, and an unknown code shown as recorded beats a blank cell in the customer's history.
 */
function inWords(words: Readonly<Record<string, string>>, code: string): string {
  return Object.hasOwn(words, code) ? (words[code] ?? code) : code;
}

function statusWords(m: Messages, status: string): string {
  return inWords(m.status, status);
}

function actorWords(m: Messages, actor: ConsentEventView['actor'], tppName: string): string {
  return actor === 'tpp' ? tppName : m.actor[actor];
}

/**
 * A table that stays readable on a phone: each row becomes a small card there, labelled from
 * the cells' `data-label` (bund.css); on wider screens it scrolls sideways if it must.
 */
function scrollingTable(label: string, table: SafeHtml): SafeHtml {
  // tabindex so keyboard users can scroll it; role and label so they know what they scroll.
  return html`<div class="table-wrap" role="region" aria-label="${label}" tabindex="0">
    ${table}
  </div>`;
}

function historyTable(view: ConsentDetailView, lang: Lang): SafeHtml {
  const m = messages[lang];
  const rows = view.history.map(
    (event) =>
      html`<tr>
        <td class="nowrap" data-label="${m.timeColumn}">${formatDateTime(event.at, lang)}</td>
        <td data-label="${m.changeColumn}">
          ${event.fromStatus === null ? m.historyNew : statusWords(m, event.fromStatus)}
          <span aria-hidden="true">→</span> ${statusWords(m, event.toStatus)}
        </td>
        <td data-label="${m.reasonColumn}">${inWords(m.reason, event.reason)}</td>
        <td data-label="${m.actorColumn}">
          ${actorWords(m, event.actor, view.consent.client.name)}
        </td>
      </tr>`,
  );
  return scrollingTable(
    m.historyHeading,
    html`<table class="table">
      <thead>
        <tr>
          <th scope="col">${m.timeColumn}</th>
          <th scope="col">${m.changeColumn}</th>
          <th scope="col">${m.reasonColumn}</th>
          <th scope="col">${m.actorColumn}</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`,
  );
}

/** An account id, a credit code, an enterprise id: letters, digits and dashes. */
const PLAIN_ID = /^[A-Za-z0-9-]{1,40}$/;

function dataAccessTable(view: ConsentDetailView, lang: Lang): SafeHtml {
  const m = messages[lang];
  if (view.dataAccess.length === 0) {
    return html`<p class="empty-state">${m.dataAccessEmpty}</p>`;
  }
  // The customer's accounts read as the customer knows them, not as bank ids: the consented
  // ones, and any other a TPP asked for (refused, but the customer should see which it was).
  const accounts = new Map(
    [...view.customerAccounts, ...view.consent.accounts].map((account) => [
      account.id,
      html`${pick(account.nickname, lang)} <span class="nowrap">${account.maskedNumber}</span>`,
    ]),
  );
  // Anything else is shown only when it has the shape of an id: the gateway records the id a
  // TPP put in its URL, even on a refused call, and a TPP must not get to write sentences
  // ("call this number…") onto the customer's bank page.
  const shown = (resource: string) =>
    accounts.get(resource) ?? (PLAIN_ID.test(resource) ? resource : m.malformedResource);
  const row = (access: DataAccessView) =>
    html`<tr>
      <td class="nowrap" data-label="${m.timeColumn}">${formatDateTime(access.at, lang)}</td>
      <td data-label="${m.operationColumn}">${inWords(m.operations, access.operation)}</td>
      <td data-label="${m.resourcesColumn}">
        ${access.resources.map((resource, index) => html`${index > 0 && html`<br />`}${shown(resource)}`)}
      </td>
      <td data-label="${m.outcomeColumn}">${inWords(m.outcomes, access.outcome)}</td>
    </tr>`;
  const { first, last, total, newerHref, olderHref } = view.dataAccessPage;
  const newer =
    newerHref !== undefined &&
    html`<a href="${newerHref}"><span aria-hidden="true">← </span>${m.dataAccessNewer}</a>`;
  const older =
    olderHref !== undefined &&
    html`<a href="${olderHref}">${m.dataAccessOlder}<span aria-hidden="true"> →</span></a>`;
  // Without the count and the links, the latest page reads as everything there is.
  const showing =
    (newer || older) && html`<p class="hint">${m.dataAccessShowing(first, last, total)}</p>`;
  const pager =
    (newer || older) &&
    html`<nav aria-label="${m.dataAccessPages}">
      <p class="hint hint--center">
        ${newer}${newer && older && html`<span aria-hidden="true"> · </span>`}${older}
      </p>
    </nav>`;
  const table = scrollingTable(
    m.dataAccessHeading,
    html`<table class="table">
      <thead>
        <tr>
          <th scope="col">${m.timeColumn}</th>
          <th scope="col">${m.operationColumn}</th>
          <th scope="col">${m.resourcesColumn}</th>
          <th scope="col">${m.outcomeColumn}</th>
        </tr>
      </thead>
      <tbody>
        ${view.dataAccess.map(row)}
      </tbody>
    </table>`,
  );
  return html`${showing} ${table} ${pager}`;
}

function summary(consent: ConsentSummaryView, lang: Lang): SafeHtml {
  const m = messages[lang];
  return html`<dl class="details">
    ${detailRow(m.statusLabel, statusBadge(consent.status, lang))}
    ${consentDates(consent, lang).map(([label, value]) => detailRow(label, value))}
    ${
      // A finished consent already shows when it ended; a live one shows its latest change.
      (consent.status === 'Authorised' || consent.status === 'AwaitingAuthorisation') &&
      detailRow(m.statusChangedLabel, formatDateTime(consent.statusUpdatedAt, lang))
    }
  </dl>`;
}

/** One consent in full: terms, accounts, what the TPP read, every status change, and revoke. */
export function renderConsentDetail(view: ConsentDetailView): string {
  const { lang, consent } = view;
  const m = messages[lang];
  const name = consent.client.name;

  const revoke =
    view.revokeHref !== undefined &&
    html`<div class="revoke-box">
      <p class="revoke-box__text">${m.revokeHint(name)}</p>
      <a class="btn btn--danger" href="${view.revokeHref}">${m.revokeButton}</a>
    </div>`;

  const accounts =
    consent.type === 'account_information' &&
    consent.accounts.length > 0 &&
    html`<section class="card" aria-labelledby="accounts-title">
      <h2 class="card__title" id="accounts-title">${m.accountsHeadingDetail}</h2>
      ${accountList(consent.accounts, lang)}
    </section>`;

  return renderDocument({
    view,
    title: m.detailTitle(name),
    width: 'wide',
    customerName: view.customerName,
    logoutAction: view.logoutAction,
    body: html`<p class="back-link">
        <a href="${view.backHref}"><span aria-hidden="true">← </span>${m.backToDashboard}</a>
      </p>
      <div class="detail-head">
        ${tppLogo(consent.client, lang, 'large')}
        <div class="detail-head__text">
          <h1 class="page-title">${name}</h1>
          <p class="detail-head__type">${m.consentType[consent.type]}</p>
        </div>
      </div>
      <div class="detail-grid">
        <section class="card" aria-labelledby="summary-title">
          <h2 class="card__title" id="summary-title">${m.overviewHeading}</h2>
          ${summary(consent, lang)} ${revoke}
        </section>
        <section class="card" aria-labelledby="permissions-title">
          <h2 class="card__title" id="permissions-title">${m.permissionsHeadingDetail}</h2>
          ${permissionList(consent.request, lang)}
          ${requestDetails(consent.request, lang, consent.subject)}
        </section>
      </div>
      ${accounts}
      <section class="card" aria-labelledby="access-title">
        <h2 class="card__title" id="access-title">${m.dataAccessHeading}</h2>
        <p class="hint">${m.dataAccessIntro(name, view.dataAccessRetentionDays)}</p>
        ${dataAccessTable(view, lang)}
      </section>
      <section class="card" aria-labelledby="history-title">
        <h2 class="card__title" id="history-title">${m.historyHeading}</h2>
        ${historyTable(view, lang)}
      </section>`,
  });
}
