import type { Knex, Migration } from '@bund/service-kit';

/**
 * The data exchange's schema. Amounts are integer minor units (`bigint`: registered capital
 * passes 2^31 fen), months `YYYY-MM` and dates `YYYY-MM-DD` as text, which sorts correctly on
 * SQLite and PostgreSQL alike.
 */
const initialSchema: Migration = {
  async up(db: Knex) {
    // One row once seeded: which seed and "today" produced the data, so a restart with another
    // anchor date keeps answering from the data it has and says how old it is.
    await db.schema.createTable('seed_runs', (t) => {
      t.integer('id').primary();
      t.integer('seed').notNullable();
      t.string('anchor_date', 10).notNullable();
    });

    await db.schema.createTable('enterprises', (t) => {
      t.string('credit_code', 18).primary();
      // The bank customer whose enterprise this is; null for enterprises that bank elsewhere.
      t.string('customer_id', 64).nullable().index();
      t.string('name_zh').notNullable();
      t.string('name_en').notNullable();
      t.string('legal_representative_zh').notNullable();
      t.string('legal_representative_en').notNullable();
      t.bigInteger('registered_capital_minor').notNullable();
      t.string('established_on', 10).notNullable();
      t.string('status', 32).notNullable();
      t.string('enterprise_type_zh').notNullable();
      t.string('enterprise_type_en').notNullable();
      t.string('industry_code', 5).notNullable();
      t.string('industry_name_zh').notNullable();
      t.string('industry_name_en').notNullable();
      t.string('registered_address_zh').notNullable();
      t.string('registered_address_en').notNullable();
      t.string('registration_authority_zh').notNullable();
      t.string('registration_authority_en').notNullable();
      t.text('business_scope_zh').notNullable();
      t.text('business_scope_en').notNullable();
    });

    await db.schema.createTable('tax_grades', (t) => {
      t.string('credit_code', 18).notNullable().references('enterprises.credit_code');
      t.integer('year').notNullable();
      t.string('grade', 1).notNullable();
      t.string('evaluated_on', 10).notNullable();
      t.primary(['credit_code', 'year']);
    });

    await db.schema.createTable('invoice_months', (t) => {
      t.string('credit_code', 18).notNullable().references('enterprises.credit_code');
      t.string('month', 7).notNullable();
      t.integer('issued_count').notNullable();
      t.bigInteger('issued_amount_minor').notNullable();
      t.bigInteger('issued_tax_minor').notNullable();
      t.integer('received_count').notNullable();
      t.bigInteger('received_amount_minor').notNullable();
      t.bigInteger('received_tax_minor').notNullable();
      t.primary(['credit_code', 'month']);
    });

    await db.schema.createTable('utility_accounts', (t) => {
      t.string('credit_code', 18).notNullable().references('enterprises.credit_code');
      t.string('utility', 16).notNullable();
      t.string('provider_name_zh').notNullable();
      t.string('provider_name_en').notNullable();
      t.string('provider_credit_code', 18).notNullable();
      t.string('unit', 8).notNullable();
      t.primary(['credit_code', 'utility']);
    });

    await db.schema.createTable('utility_bills', (t) => {
      t.string('credit_code', 18).notNullable();
      t.string('utility', 16).notNullable();
      t.string('month', 7).notNullable();
      t.bigInteger('usage_quantity').notNullable();
      t.bigInteger('amount_minor').notNullable();
      t.string('due_date', 10).notNullable();
      t.string('paid_date', 10).nullable();
      t.string('status', 16).notNullable();
      t.primary(['credit_code', 'utility', 'month']);
      t.foreign(['credit_code', 'utility'])
        .references(['credit_code', 'utility'])
        .inTable('utility_accounts');
      t.index(['credit_code', 'month']);
    });

    await db.schema.createTable('personal_credit_reports', (t) => {
      t.string('customer_id', 64).primary();
      t.string('report_date', 10).notNullable();
      t.integer('enquiries_last_6_months').notNullable();
    });

    await db.schema.createTable('personal_credit_accounts', (t) => {
      t.string('customer_id', 64).notNullable().references('personal_credit_reports.customer_id');
      t.integer('position').notNullable();
      t.string('type', 16).notNullable();
      t.string('institution_zh').notNullable();
      t.string('institution_en').notNullable();
      t.string('opened_on', 10).notNullable();
      t.bigInteger('credit_limit_minor').notNullable();
      t.bigInteger('outstanding_minor').notNullable();
      // Oldest month first; N is normal, 1–7 months overdue.
      t.string('repayment_status', 24).notNullable();
      t.primary(['customer_id', 'position']);
    });
  },
  async down(db: Knex) {
    for (const table of [
      'personal_credit_accounts',
      'personal_credit_reports',
      'utility_bills',
      'utility_accounts',
      'invoice_months',
      'tax_grades',
      'enterprises',
      'seed_runs',
    ]) {
      await db.schema.dropTableIfExists(table);
    }
  },
};

/** Every migration of the data exchange, in order; applied by service-kit's `migrate`. */
export const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ['20260102-001-initial-schema', initialSchema],
];
