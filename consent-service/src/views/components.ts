/**
 * Pieces shared by the consent screens and the dashboard, so a TPP, a permission, an account
 * or a status looks the same wherever the customer meets it.
 */

import { formatDate, initials, pick } from './format.js';
import { html, type SafeHtml } from '@bund/service-kit/html';
import { bankMark } from './layout.js';
import { messages } from './messages.js';
import type {
  AccountView,
  ClientView,
  ConsentRequestView,
  ConsentSummaryView,
  Lang,
  ReviewView,
} from './view-models.js';

/** The dashboard, where every consent screen tells the customer they can withdraw. */
export const DASHBOARD_PATH = '/dashboard';

/** The TPP's logo, or its initials in a circle when it registered none. */
export function tppLogo(client: ClientView, lang: Lang, size: 'large' | 'small'): SafeHtml {
  if (client.logoUri !== undefined && client.logoUri !== '') {
    return html`<img
      class="tpp-logo tpp-logo--${size}"
      src="${client.logoUri}"
      alt="${messages[lang].tppLogoAlt(client.name)}"
      width="${size === 'large' ? 64 : 48}"
      height="${size === 'large' ? 64 : 48}"
    />`;
  }
  // The name is always printed next to the initials, so they add nothing for a screen reader.
  return html`<span class="tpp-logo tpp-logo--${size} tpp-logo--initials" aria-hidden="true"
    >${initials(client.name)}</span
  >`;
}

/**
 * The top of every consent screen: the TPP and the bank side by side, and the sentence that
 * says who is asking for what. The TPP's name is the heading because it is the one thing the
 * customer must check.
 */
export function consentHero(
  client: ClientView,
  lang: Lang,
  step?: { step: number; total: number },
): SafeHtml {
  const m = messages[lang];
  return html`<div class="hero">
    <div class="connect">
      ${tppLogo(client, lang, 'large')}
      <span class="connect__link" aria-hidden="true"></span>
      <span class="connect__bank" aria-hidden="true">${bankMark}</span>
    </div>
    ${step !== undefined && html`<p class="hero__step">${m.stepOf(step.step, step.total)}</p>`}
    <h1 class="hero__title">${m.askingAccess(client.name)}</h1>
  </div>`;
}

/** A problem the customer must act on, announced by screen readers as soon as the page loads. */
export function errorAlert(lang: Lang, text: string | undefined): SafeHtml | false {
  if (text === undefined) return false;
  return html`<div class="alert alert--error" role="alert" id="form-error">
    <p class="alert__title">${messages[lang].alertTitle}</p>
    <p class="alert__text">${text}</p>
  </div>`;
}

/** A confirmation of something that went well. */
export function successNotice(text: string): SafeHtml {
  return html`<div class="alert alert--success" role="status">
    <p class="alert__text">${text}</p>
  </div>`;
}

/** The permissions in plain language, in the page's language. */
export function permissionList(request: ConsentRequestView, lang: Lang): SafeHtml {
  return html`<ul class="permission-list">
    ${request.permissions.map(
      (permission) =>
        html`<li class="permission-list__item" data-permission="${permission.name}">
          ${pick(permission.text, lang)}
        </li>`,
    )}
  </ul>`;
}

/** The transaction window in words: from … to …, open at one end, or everything. */
export function dataPeriod(request: ConsentRequestView, lang: Lang): string {
  const m = messages[lang];
  const { transactionFrom: from, transactionTo: to } = request;
  if (from !== undefined && to !== undefined) {
    return m.dataPeriodRange(formatDate(from, lang), formatDate(to, lang));
  }
  if (from !== undefined) return m.dataPeriodFrom(formatDate(from, lang));
  if (to !== undefined) return m.dataPeriodTo(formatDate(to, lang));
  return m.dataPeriodAll;
}

/** One row of a description list. */
export function detailRow(label: string, value: SafeHtml | string): SafeHtml {
  return html`<div class="details__row">
    <dt>${label}</dt>
    <dd>${value}</dd>
  </div>`;
}

/** Whose credit data a credit_data_sharing consent covers. */
export function subjectValue(subject: NonNullable<ReviewView['subject']>, lang: Lang): SafeHtml {
  const m = messages[lang];
  if (subject.kind === 'individual') {
    return html`${m.subjectIndividual(pick(subject.name, lang))}`;
  }
  return html`<span class="subject__name">${pick(subject.name, lang)}</span>
    <span class="subject__code"
      >${m.creditCodeLabel}: <span class="mono">${subject.creditCode}</span></span
    >`;
}

/**
 * The terms of the access besides the permissions: type, whose data and why (credit data),
 * the transaction window (account information) and until when.
 */
export function requestDetails(
  request: ConsentRequestView,
  lang: Lang,
  subject?: ReviewView['subject'],
): SafeHtml {
  const m = messages[lang];
  return html`<dl class="details">
    ${detailRow(m.typeLabel, m.consentType[request.type])}
    ${subject !== undefined && detailRow(m.subjectLabel, subjectValue(subject, lang))}
    ${request.purpose !== undefined && request.purpose !== '' && detailRow(m.purposeLabel, request.purpose)}
    ${request.type === 'account_information' && detailRow(m.dataPeriodLabel, dataPeriod(request, lang))}
    ${detailRow(m.expiresLabel, formatDate(request.expiresAt, lang))}
  </dl>`;
}

/** What the customer reads to recognise an account: nickname, product and type, number. */
export function accountSummary(account: AccountView, lang: Lang): SafeHtml {
  const m = messages[lang];
  return html`<span class="account__name">${pick(account.nickname, lang)}</span>
    <span class="account__meta"
      >${pick(account.productName, lang)} · ${m.accountType[account.type]} ·
      ${account.currency}</span
    >
    <span class="account__number mono">${account.maskedNumber}</span>`;
}

/** The accounts a consent covers, read-only. */
export function accountList(accounts: AccountView[], lang: Lang): SafeHtml {
  return html`<ul class="account-list">
    ${accounts.map((account) => html`<li class="account">${accountSummary(account, lang)}</li>`)}
  </ul>`;
}

/** A consent's status in words, coloured by kind; the words carry the meaning, not the colour. */
export function statusBadge(status: ConsentSummaryView['status'], lang: Lang): SafeHtml {
  return html`<span class="badge badge--${status.toLowerCase()}"
    >${messages[lang].status[status]}</span
  >`;
}

/** The plain promise on every consent screen that this can be undone. */
export function withdrawNote(lang: Lang): SafeHtml {
  const m = messages[lang];
  return html`<p class="withdraw-note">
    ${m.withdrawNote(html`<a href="${DASHBOARD_PATH}">${m.dashboardLink}</a>`)}
  </p>`;
}
