import type { AccountRow } from '../db/rows.js';
import { amountOf } from '../money.js';
import { maskAccountNumber } from '../seed/account-number.js';

/** What the consent screen's account chooser shows: no full number. */
export function accountSummary(row: AccountRow) {
  return {
    id: row.id,
    type: row.type,
    currency: row.currency,
    nickname: { zh: row.nickname_zh, en: row.nickname_en },
    maskedNumber: maskAccountNumber(row.identification),
    productName: { zh: row.product_zh, en: row.product_en },
  };
}

/**
 * An account as the resource API shows it. `identification` (the full number) is always
 * included; the gateway removes it unless the consent grants ReadAccountsDetail.
 */
export function accountResource(row: AccountRow) {
  return {
    ...accountSummary(row),
    identification: row.identification,
    openedDate: row.opened_date,
    status: row.status,
    ...(row.credit_limit_minor === null
      ? {}
      : { creditLimit: amountOf(row.credit_limit_minor, row.currency) }),
  };
}
