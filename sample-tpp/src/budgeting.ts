/**
 * Tidewater Budget: a personal budgeting view of the accounts the customer chose to share.
 * Consent type `account_information`; data from `specs/accounts.yaml` through the gateway.
 */
import type { Product, ProductView } from './connection-routes.js';
import { date, money, time, words } from './views/format.js';
import { html } from '@bund/service-kit/html';
import { notice, page, postButton } from './views/layout.js';

interface Amount {
  amount: string;
  currency: string;
}
interface Account {
  id: string;
  type: 'current' | 'savings' | 'credit_card';
  currency: string;
  nickname: { en: string; zh: string };
  maskedNumber: string;
  productName: { en: string; zh: string };
}
interface Balance {
  type: 'closingBooked' | 'interimAvailable';
  amount: Amount;
}
interface Transaction {
  id: string;
  bookingDateTime: string;
  amount: Amount;
  creditDebitIndicator: 'Credit' | 'Debit';
  category: string;
  description?: string;
  merchant?: { name: string };
  counterparty?: { name: string };
}

type BudgetData = { account: Account; balances: Balance[]; transactions: Transaction[] }[];

const TRANSACTIONS_SHOWN = 10;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export const budgeting: Product<BudgetData> = {
  name: 'budgeting',
  scope: 'openid accounts',
  // Only what a budget needs: no full account numbers (ReadAccountsDetail), one year back.
  authorizationDetails: () => [
    {
      type: 'account_information',
      permissions: [
        'ReadAccountsBasic',
        'ReadBalances',
        'ReadTransactionsDetail',
        'ReadTransactionsCredits',
        'ReadTransactionsDebits',
      ],
      expirationDateTime: inDays(90),
      transactionFromDateTime: inDays(-365),
      transactionToDateTime: inDays(90),
    },
  ],

  // GET /accounts lists exactly the accounts the customer chose; then each one's details.
  async load(read) {
    const accounts = (await read<Account[]>('/accounts')).data;
    return Promise.all(
      accounts.map(async (account) => {
        const id = encodeURIComponent(account.id);
        const [balances, transactions] = await Promise.all([
          read<{ balances: Balance[] }>(`/accounts/${id}/balances`),
          read<Transaction[]>(`/accounts/${id}/transactions?limit=${TRANSACTIONS_SHOWN}`),
        ]);
        return { account, balances: balances.data.balances, transactions: transactions.data };
      }),
    );
  },

  render: renderBudgeting,
};

function renderBudgeting(view: ProductView<BudgetData>): string {
  if (!view.data) {
    return page({
      title: 'Budget',
      active: 'budgeting',
      body: html`${notice(view.notice)}
        <section class="panel intro">
          <p class="eyebrow">Tidewater Budget</p>
          <h1>See where your money goes</h1>
          <p class="lead">
            Connect your Bund Bank accounts and Tidewater shows your balances and latest spending in
            one place. You choose which accounts to share, and you can stop at any time.
          </p>
          <h2 class="small-heading">What we will ask Bund Bank for</h2>
          <ul class="ticks">
            <li>The accounts you choose: their names and type</li>
            <li>Their balances</li>
            <li>Their transactions of the last 12 months</li>
          </ul>
          <p class="muted">For 90 days. We never see your full account numbers or your password.</p>
          ${postButton('/budgeting/connect', view.notice ? 'Reconnect your bank' : 'Connect your bank', 'primary')}
        </section>`,
    });
  }
  const accounts = view.data.map(({ account, balances, transactions }) => {
    const booked = balances.find((b) => b.type === 'closingBooked')!;
    const available = balances.find((b) => b.type === 'interimAvailable')!;
    const card = account.type === 'credit_card';
    // A card's booked balance is negative while money is owed on it.
    const owed = card && booked.amount.amount.startsWith('-');
    const rows = transactions.map((t) => {
      const credit = t.creditDebitIndicator === 'Credit';
      const who = t.merchant?.name ?? t.counterparty?.name ?? t.description ?? words(t.category);
      return html`<tr>
        <td class="nowrap">${date(t.bookingDateTime)}</td>
        <td>${who}<span class="sub">${words(t.category)}</span></td>
        <td class="num ${credit ? 'in' : 'out'}">${credit ? '+' : '−'}${money(t.amount)}</td>
      </tr>`;
    });
    return html`<section class="panel account" data-account="${account.id}">
      <header class="account__head">
        <div>
          <h2>${account.nickname.en}</h2>
          <p class="muted">${account.productName.en} · ${account.maskedNumber}</p>
        </div>
        <dl class="balances">
          <div>
            <dt>${card ? 'Available credit' : 'Available'}</dt>
            <dd class="big">${money(available.amount)}</dd>
          </div>
          <div>
            <dt>${owed ? 'Balance owed' : 'Booked balance'}</dt>
            <dd>
              ${money(owed ? { ...booked.amount, amount: booked.amount.amount.slice(1) } : booked.amount)}
            </dd>
          </div>
        </dl>
      </header>
      <table class="table table--transactions">
        <caption>
          Latest ${transactions.length} transactions
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Description</th>
            <th scope="col" class="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </section>`;
  });
  return page({
    title: 'Budget',
    active: 'budgeting',
    body: html`<div class="page-head">
        <div>
          <p class="eyebrow">Tidewater Budget</p>
          <h1>Your accounts</h1>
          <p class="muted">
            ${view.data.length === 1 ? '1 account' : `${view.data.length} accounts`} shared from
            Bund
            Bank${view.granted?.expirationDateTime ? ` until ${date(view.granted.expirationDateTime)}` : ''}
            · updated ${time(new Date())}
          </p>
        </div>
        <div class="actions">
          ${postButton('/budgeting/refresh', 'Refresh', 'secondary')}
          ${postButton('/budgeting/disconnect', 'Disconnect', 'quiet')}
        </div>
      </div>
      ${notice(view.notice)} ${accounts}`,
  });
}
