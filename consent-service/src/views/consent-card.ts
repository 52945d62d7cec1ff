import { statusBadge, tppLogo } from './components.js';
import { formatDate, pick } from './format.js';
import { html, type SafeHtml } from '@bund/service-kit/html';
import { messages } from './messages.js';
import type { ConsentSummaryView, Lang } from './view-models.js';

/**
 * The dates that matter for a consent in its status: when it ends for a live one, when it
 * ended for a finished one.
 */
export function consentDates(consent: ConsentSummaryView, lang: Lang): [string, string][] {
  const m = messages[lang];
  const rows: [string, string][] = [[m.createdLabel, formatDate(consent.createdAt, lang)]];
  if (consent.status === 'Authorised') {
    rows.push([m.expiresLabel, formatDate(consent.expiresAt, lang)]);
  } else if (consent.status !== 'AwaitingAuthorisation') {
    rows.push([m.endedLabel, formatDate(consent.statusUpdatedAt, lang)]);
  }
  return rows;
}

/** One consent in a dashboard list; the whole card opens its detail page. */
export function consentCard(consent: ConsentSummaryView, lang: Lang): SafeHtml {
  const m = messages[lang];
  return html`<li class="consent-card">
    ${tppLogo(consent.client, lang, 'small')}
    <div class="consent-card__body">
      <h3 class="consent-card__name">
        <a class="consent-card__link" href="${consent.detailHref}">${consent.client.name}</a>
      </h3>
      <p class="consent-card__type">${m.consentType[consent.type]}</p>
      ${
        consent.accounts?.length
          ? html`<p class="consent-card__accounts">
              ${consent.accounts.map(
                (account, i) =>
                  html`${i > 0 ? m.listSeparator : ''}<span class="nowrap"
                      >${pick(account.nickname, lang)} ${account.maskedNumber}</span
                    >`,
              )}
            </p>`
          : ''
      }
      <dl class="consent-card__dates">
        ${consentDates(consent, lang).map(
          ([label, value]) =>
            html`<div>
              <dt>${label}</dt>
              <dd>${value}</dd>
            </div>`,
        )}
      </dl>
    </div>
    <div class="consent-card__side">
      ${statusBadge(consent.status, lang)}
      <span class="consent-card__more" aria-hidden="true">${m.viewDetails}</span>
    </div>
  </li>`;
}
