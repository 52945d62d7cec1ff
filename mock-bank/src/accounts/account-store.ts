import type { Knex } from '@bund/service-kit';
import { ApiError } from '@bund/service-kit';
import type { CustomerContext } from '../middleware/require-customer.js';
import type { AccountRow } from '../db/rows.js';

/** The accounts `customerId` holds, in the order they see them. */
export async function accountsOfCustomer(db: Knex, customerId: string): Promise<AccountRow[]> {
  return db<AccountRow>('accounts').where('customer_id', customerId).orderBy('position');
}

/** The accounts a resource call may see: the customer's, narrowed to the consented ones. */
export async function visibleAccounts(
  db: Knex,
  { customerId, consentedAccounts }: CustomerContext,
): Promise<AccountRow[]> {
  const accounts = await accountsOfCustomer(db, customerId);
  return consentedAccounts
    ? accounts.filter((account) => consentedAccounts.has(account.id))
    : accounts;
}

/**
 * The account `accountId` when the customer holds it and the consent covers it. Any other case
 * is the same 404, so a caller cannot learn that someone else's account exists.
 */
export async function findVisibleAccount(
  db: Knex,
  context: CustomerContext,
  accountId: string,
): Promise<AccountRow> {
  const account = await db<AccountRow>('accounts')
    .where({ id: accountId, customer_id: context.customerId })
    .first();
  if (!account || (context.consentedAccounts && !context.consentedAccounts.has(accountId))) {
    throw ApiError.notFound(`No account ${accountId}.`);
  }
  return account;
}

/** The sum of the account's booked transactions in minor units, and when the last was booked. */
export async function bookedBalance(
  db: Knex,
  accountId: string,
): Promise<{ balanceMinor: number; lastBookedAt: string | null }> {
  const row = (await db('transactions')
    .where({ account_id: accountId, status: 'Booked' })
    .first(
      db.raw(
        "coalesce(sum(case when credit_debit = 'Credit' then amount_minor else 0 - amount_minor end), 0) as balance",
      ),
      db.raw('max(booked_at) as last_booked_at'),
    )) as { balance: number | string; last_booked_at: string | null } | undefined;
  return { balanceMinor: Number(row?.balance ?? 0), lastBookedAt: row?.last_booked_at ?? null };
}
