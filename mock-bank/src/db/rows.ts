/** Rows as stored. PostgreSQL returns bigint columns as strings; readers convert with Number(). */

/** A bank customer with their login. */
export interface CustomerRow {
  id: string;
  username: string;
  kind: 'retail' | 'sme';
  name_zh: string;
  name_en: string;
  credit_code: string | null;
  password_hash: string;
}

/** An account; `identification` is the full number, never logged. */
export interface AccountRow {
  id: string;
  customer_id: string;
  position: number;
  type: 'current' | 'savings' | 'credit_card';
  currency: string;
  nickname_zh: string;
  nickname_en: string;
  product_zh: string;
  product_en: string;
  identification: string;
  opened_date: string;
  status: 'Enabled' | 'Disabled';
  credit_limit_minor: number | string | null;
}

/** A booked transaction; `seq` is its global booking order. */
export interface TransactionRow {
  seq: number;
  id: string;
  account_id: string;
  booked_at: string;
  value_date: string;
  amount_minor: number | string;
  currency: string;
  credit_debit: 'Credit' | 'Debit';
  status: 'Booked';
  category: string;
  description: string;
  merchant_name: string | null;
  merchant_mcc: string | null;
  counterparty_name: string | null;
  counterparty_account: string | null;
  balance_after_minor: number | string;
}
