import { html } from '@bund/service-kit/html';
import { page } from './views/layout.js';

/** The app's front page: its two products. */
export function renderLanding(): string {
  return page({
    title: 'Home',
    body: html`<section class="hero">
        <h1>Money decisions, made with your own bank data</h1>
        <p class="lead">
          Tidewater connects to Bund Bank through open banking. You decide at your bank what we may
          read and for how long; we never see your banking password.
        </p>
      </section>
      <div class="products">
        <a class="product" href="/budgeting">
          <p class="eyebrow">For you</p>
          <h2>Tidewater Budget</h2>
          <p>Your balances and latest spending across the accounts you choose to share.</p>
          <span class="product__go">Open Budget →</span>
        </a>
        <a class="product" href="/loan">
          <p class="eyebrow">For your company</p>
          <h2>Tidewater Business Loans</h2>
          <p>
            A working-capital loan assessed from your company’s credit profile, tax grades and
            invoices: no documents to upload.
          </p>
          <span class="product__go">Apply →</span>
        </a>
      </div>
      <section class="panel steps">
        <h2>How connecting works</h2>
        <ol>
          <li><b>Connect.</b> We send you to Bund Bank’s own website.</li>
          <li>
            <b>Decide at your bank.</b> Log in there, see exactly what we ask for, choose and
            approve.
          </li>
          <li>
            <b>Stay in control.</b> Stop sharing here or in your bank’s dashboard at any time.
          </li>
        </ol>
      </section>`,
  });
}
