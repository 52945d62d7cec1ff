import { successNotice } from './components.js';
import { consentCard } from './consent-card.js';
import { html, type SafeHtml } from '@bund/service-kit/html';
import { renderDocument } from './layout.js';
import { messages } from './messages.js';
import type { ConsentSummaryView, DashboardView, Lang } from './view-models.js';

function consentSection(
  id: string,
  title: string,
  empty: string,
  consents: ConsentSummaryView[],
  lang: Lang,
): SafeHtml {
  return html`<section class="dashboard-section" aria-labelledby="${id}">
    <h2 class="section-title" id="${id}">${title}</h2>
    ${
      consents.length === 0
        ? html`<p class="empty-state">${empty}</p>`
        : html`<ul class="consent-list">
            ${consents.map((consent) => consentCard(consent, lang))}
          </ul>`
    }
  </section>`;
}

/** The customer's consents: what can read their data now, and what could before. */
export function renderDashboard(view: DashboardView): string {
  const { lang } = view;
  const m = messages[lang];
  return renderDocument({
    view,
    title: m.dashboardTitle,
    width: 'wide',
    customerName: view.customerName,
    logoutAction: view.logoutAction,
    body: html`${view.notice === 'revoked' && successNotice(m.revokedNotice)}
      <h1 class="page-title">${m.dashboardTitle}</h1>
      <p class="lead">${m.dashboardIntro}</p>
      ${consentSection('active-title', m.activeHeading, m.activeEmpty, view.active, lang)}
      ${consentSection('past-title', m.pastHeading, m.pastEmpty, view.past, lang)}`,
  });
}
