import type { TransactionRow } from '../db/rows.js';
import { amountOf } from '../money.js';

/**
 * A transaction as the resource API shows it. `description`, `merchant`, `counterparty` and
 * `balanceAfter` are always included; the gateway removes them unless the consent grants
 * ReadTransactionsDetail.
 */
export function transactionResource(row: TransactionRow) {
  return {
    id: row.id,
    accountId: row.account_id,
    bookingDateTime: row.booked_at,
    valueDate: row.value_date,
    amount: amountOf(row.amount_minor, row.currency),
    creditDebitIndicator: row.credit_debit,
    status: row.status,
    category: row.category,
    description: row.description,
    ...(row.merchant_name !== null
      ? { merchant: { name: row.merchant_name, categoryCode: row.merchant_mcc } }
      : {}),
    ...(row.counterparty_name !== null
      ? {
          counterparty: {
            name: row.counterparty_name,
            ...(row.counterparty_account !== null
              ? { accountNumberMasked: row.counterparty_account }
              : {}),
          },
        }
      : {}),
    balanceAfter: amountOf(row.balance_after_minor, row.currency),
  };
}
