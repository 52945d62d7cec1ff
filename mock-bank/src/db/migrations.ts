import type { Knex, Migration } from '@bund/service-kit';

/**
 * Customers, their accounts and the booked transactions. Amounts are integer minor units
 * (bigint: SME balances outgrow 32 bits) and times are ISO strings with one fixed offset, so
 * text order is time order on SQLite and PostgreSQL alike.
 */
const createCoreTables: Migration = {
  async up(db: Knex) {
    await db.schema.createTable('customers', (t) => {
      t.string('id', 16).primary();
      t.string('username', 64).notNullable().unique();
      t.string('kind', 8).notNullable();
      t.string('name_zh', 128).notNullable();
      t.string('name_en', 128).notNullable();
      t.string('credit_code', 18).nullable();
      // scrypt$N$r$p$salt$hash; never a plain password.
      t.string('password_hash', 200).notNullable();
    });
    await db.schema.createTable('accounts', (t) => {
      t.string('id', 16).primary();
      t.string('customer_id', 16).notNullable().references('id').inTable('customers');
      // The order in which the customer sees their accounts.
      t.integer('position').notNullable();
      t.string('type', 16).notNullable();
      t.string('currency', 3).notNullable();
      t.string('nickname_zh', 64).notNullable();
      t.string('nickname_en', 64).notNullable();
      t.string('product_zh', 64).notNullable();
      t.string('product_en', 64).notNullable();
      t.string('identification', 32).notNullable().unique();
      t.string('opened_date', 10).notNullable();
      t.string('status', 16).notNullable();
      t.bigInteger('credit_limit_minor').nullable();
      t.index(['customer_id', 'position']);
    });
    await db.schema.createTable('transactions', (t) => {
      // Global booking order; the public id is derived from it, so ordering by seq is ordering
      // by id without relying on a database collation.
      t.integer('seq').primary();
      t.string('id', 16).notNullable().unique();
      t.string('account_id', 16).notNullable().references('id').inTable('accounts');
      t.string('booked_at', 25).notNullable();
      t.string('value_date', 10).notNullable();
      t.bigInteger('amount_minor').notNullable();
      t.string('currency', 3).notNullable();
      t.string('credit_debit', 6).notNullable();
      t.string('status', 8).notNullable();
      t.string('category', 32).notNullable();
      t.string('description', 200).notNullable();
      t.string('merchant_name', 64).nullable();
      t.string('merchant_mcc', 4).nullable();
      t.string('counterparty_name', 128).nullable();
      t.string('counterparty_account', 16).nullable();
      t.bigInteger('balance_after_minor').notNullable();
      // Serves the transaction list: one account, newest first, keyset on (booked_at, seq).
      t.index(['account_id', 'booked_at', 'seq']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('transactions');
    await db.schema.dropTableIfExists('accounts');
    await db.schema.dropTableIfExists('customers');
  },
};

/** Every migration of the mock bank, in the order they apply. */
export const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ['0001_create_core_tables', createCoreTables],
];
