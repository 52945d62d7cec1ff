/**
 * Tidewater Business Loans: an SME working-capital loan application that reads the enterprise's
 * credit data instead of asking for uploads. Consent type `credit_data_sharing`; data from
 * `specs/credit-data.yaml` (the public data exchange) through the gateway.
 */
import type { Product, ProductView } from './connection-routes.js';
import { compactMoney, date, money, month } from './views/format.js';
import { html } from '@bund/service-kit/html';
import { notice, page, postButton } from './views/layout.js';

interface Money {
  amount: string;
  currency: string;
}
interface Localised {
  en: string;
  zh: string;
}
interface EnterpriseProfile {
  creditCode: string;
  name: Localised;
  legalRepresentative: Localised;
  registeredCapital: Money;
  establishedOn: string;
  status: Localised;
  enterpriseType: Localised;
  industry: Localised;
  registeredAddress: Localised;
}
interface TaxGrade {
  year: number;
  grade: 'A' | 'B' | 'M' | 'C' | 'D';
  evaluatedOn: string;
}
interface InvoiceTotals {
  count: number;
  amountExcludingTax: Money;
}
interface InvoiceSummary {
  month: string;
  issued: InvoiceTotals;
  received: InvoiceTotals;
}

interface LoanData {
  profile: EnterpriseProfile;
  taxGrades: TaxGrade[];
  invoices: InvoiceSummary[];
  dataAsOf: string;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export const loan: Product<LoanData> = {
  name: 'loan',
  scope: 'openid credit_data',
  // The purpose is shown to the customer on the consent screen, in these words.
  authorizationDetails: () => [
    {
      type: 'credit_data_sharing',
      permissions: ['ReadEnterpriseProfile', 'ReadEnterpriseTaxGrades', 'ReadEnterpriseInvoices'],
      purpose: 'Assess your working-capital loan application with Tidewater Business Loans',
      expirationDateTime: inDays(30),
    },
  ],

  // The bank put the customer's enterprise (its credit code) into the grant; the TPP never
  // chooses whose data it reads.
  async load(read, granted) {
    if (granted.subject?.kind !== 'enterprise') throw new Error('the consent names no enterprise');
    const code = encodeURIComponent(granted.subject.creditCode);
    const [profile, taxGrades, invoices] = await Promise.all([
      read<EnterpriseProfile>(`/enterprises/${code}`),
      read<TaxGrade[]>(`/enterprises/${code}/tax-grades`),
      read<InvoiceSummary[]>(`/enterprises/${code}/invoice-summaries`),
    ]);
    return {
      profile: profile.data,
      taxGrades: [...taxGrades.data].sort((a, b) => b.year - a.year),
      invoices: invoices.data,
      dataAsOf: String(profile.meta?.dataAsOf ?? ''),
    };
  },

  render: renderLoan,
};

const GRADE_TEXT: Record<TaxGrade['grade'], string> = {
  A: 'A · excellent',
  B: 'B · good',
  M: 'M · new or small taxpayer',
  C: 'C · poor',
  D: 'D · bad',
};

const sales = (s: InvoiceSummary) => Number(s.issued.amountExcludingTax.amount);
const sum = (list: InvoiceSummary[]) => list.reduce((total, s) => total + sales(s), 0);

/** Monthly sales as an SVG bar chart (SVG attributes, not inline styles, so the CSP allows it). */
function salesChart(invoices: InvoiceSummary[], currency: string) {
  const [width, height, pad] = [960, 200, 28];
  const max = Math.max(...invoices.map(sales), 1);
  const step = width / Math.max(invoices.length, 1);
  const bars = invoices.map((s, i) => {
    const h = Math.max(2, Math.round((sales(s) / max) * (height - 24)));
    const recent = i >= invoices.length - 12;
    return html`<rect
      x="${(i * step + 4).toFixed(1)}"
      y="${height - h}"
      width="${(step - 8).toFixed(1)}"
      height="${h}"
      rx="3"
      class="${recent ? 'bar bar--recent' : 'bar'}"
      ><title>${month(s.month)}: ${money(s.issued.amountExcludingTax)}</title></rect
    >`;
  });
  // A month label under every third bar, and the scale's top value.
  const labels = invoices.map((s, i) =>
    i % 3 === 0
      ? html`<text x="${(i * step + step / 2).toFixed(1)}" y="${height + 20}" text-anchor="middle"
          >${month(s.month)}</text
        >`
      : '',
  );
  return html`<svg
    class="chart"
    viewBox="${-pad} -8 ${width + 2 * pad} ${height + 36}"
    role="img"
    aria-label="Monthly sales, ${month(invoices[0]?.month ?? '')} to ${month(invoices.at(-1)?.month ?? '')}"
  >
    <line x1="0" x2="${width}" y1="24" y2="24" class="grid" />
    <text x="0" y="16" class="scale">${compactMoney(max, currency)}</text>
    <line x1="0" x2="${width}" y1="${height}" y2="${height}" class="axis" />
    ${bars} ${labels}
  </svg>`;
}

function renderLoan(view: ProductView<LoanData>): string {
  if (!view.data) {
    return page({
      title: 'Business loans',
      active: 'loan',
      body: html`${notice(view.notice)}
        <section class="panel intro">
          <p class="eyebrow">Tidewater Business Loans</p>
          <h1>Working capital for your company, decided in minutes</h1>
          <p class="lead">
            No statements to upload: share your company’s credit data from the public data exchange
            through Bund Bank, and we assess your application straight away.
          </p>
          <h2 class="small-heading">What we will ask Bund Bank for</h2>
          <ul class="ticks">
            <li>Your company’s registration profile</li>
            <li>Its tax credit grades of the last five years</li>
            <li>Its monthly VAT invoice totals of the last 24 months</li>
          </ul>
          <p class="muted">
            For 30 days, only to assess this application. Log in to Bund Bank as your company.
          </p>
          ${postButton('/loan/connect', view.notice ? 'Share credit data again' : 'Share credit data via Bund Bank', 'primary')}
        </section>`,
    });
  }
  const { profile, taxGrades, invoices, dataAsOf } = view.data;
  const last12 = invoices.slice(-12);
  const previous12 = invoices.slice(-24, -12);
  const change =
    previous12.length === 12 && sum(previous12) > 0 ? sum(last12) / sum(previous12) - 1 : undefined;
  const currency = invoices[0]?.issued.amountExcludingTax.currency ?? 'CNY';
  const latest = taxGrades[0];
  const facts: [string, string][] = [
    ['Unified social credit code', profile.creditCode],
    ['Legal representative', profile.legalRepresentative.en],
    ['Registered capital', money(profile.registeredCapital)],
    ['Established', date(profile.establishedOn)],
    ['Type', profile.enterpriseType.en],
    ['Industry', profile.industry.en],
    ['Status', profile.status.en],
    ['Registered address', profile.registeredAddress.en],
  ];
  return page({
    title: 'Business loans',
    active: 'loan',
    body: html`<div class="page-head">
        <div>
          <p class="eyebrow">Tidewater Business Loans · application</p>
          <h1>${profile.name.en}</h1>
          <p class="muted">
            <span lang="zh-CN">${profile.name.zh}</span> · credit data as of ${date(dataAsOf)},
            shared through Bund
            Bank${view.granted?.expirationDateTime ? ` until ${date(view.granted.expirationDateTime)}` : ''}
          </p>
        </div>
        <div class="actions">
          ${postButton('/loan/refresh', 'Refresh', 'secondary')}
          ${postButton('/loan/disconnect', 'Stop sharing', 'quiet')}
        </div>
      </div>
      ${notice(view.notice)}
      <section class="figures" aria-label="Key figures">
        <div class="figure">
          <p class="figure__label">Latest tax grade</p>
          <p class="figure__value">${latest ? latest.grade : '—'}</p>
          <p class="muted">
            ${latest ? `${latest.year} · ${GRADE_TEXT[latest.grade].slice(4)}` : 'none on record'}
          </p>
        </div>
        <div class="figure">
          <p class="figure__label">Average monthly sales</p>
          <p class="figure__value">
            ${compactMoney(sum(last12) / Math.max(last12.length, 1), currency)}
          </p>
          <p class="muted">last ${last12.length} months, excluding VAT</p>
        </div>
        <div class="figure">
          <p class="figure__label">Sales trend</p>
          <p class="figure__value ${change !== undefined && change < 0 ? 'out' : 'in'}">
            ${change === undefined ? '—' : `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)}%`}
          </p>
          <p class="muted">last 12 months vs the 12 before</p>
        </div>
      </section>
      <div class="two-col">
        <section class="panel">
          <h2>Company profile</h2>
          <dl class="facts">
            ${facts.map(
              ([term, value]) =>
                html`<div>
                  <dt>${term}</dt>
                  <dd>${value}</dd>
                </div>`,
            )}
          </dl>
        </section>
        <section class="panel">
          <h2>Tax credit grades</h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Year</th>
                <th scope="col">Grade</th>
                <th scope="col">Evaluated</th>
              </tr>
            </thead>
            <tbody>
              ${taxGrades.map(
                (g) =>
                  html`<tr>
                    <td>${g.year}</td>
                    <td>
                      <span class="grade grade--${g.grade}">${g.grade}</span
                      >${GRADE_TEXT[g.grade].slice(4)}
                    </td>
                    <td class="nowrap">${date(g.evaluatedOn)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </section>
      </div>
      <section class="panel">
        <h2>Invoice trend</h2>
        <p class="muted">
          Monthly sales: VAT invoices issued, excluding tax. The last 12 months are in dark blue.
        </p>
        ${salesChart(invoices, currency)}
        <div class="table-scroll" tabindex="0" role="region" aria-label="Monthly invoice totals">
          <table class="table">
            <caption>
              Monthly invoice totals, last 12 months
            </caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" class="num">Invoices issued</th>
                <th scope="col" class="num">Sales</th>
                <th scope="col" class="num">Invoices received</th>
                <th scope="col" class="num">Purchases</th>
              </tr>
            </thead>
            <tbody>
              ${[...last12].reverse().map(
                (s) =>
                  html`<tr>
                    <td class="nowrap">${month(s.month)}</td>
                    <td class="num">${s.issued.count}</td>
                    <td class="num">${money(s.issued.amountExcludingTax)}</td>
                    <td class="num">${s.received.count}</td>
                    <td class="num">${money(s.received.amountExcludingTax)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>`,
  });
}
