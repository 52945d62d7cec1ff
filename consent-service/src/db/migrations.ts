import type { Migration } from '@bund/service-kit';
import { OIDC_TABLE } from '../oidc/knex-adapter.js';

const oidcModels: Migration = {
  async up(db) {
    await db.schema.createTable(OIDC_TABLE, (t) => {
      t.string('model', 64).notNullable();
      t.string('id', 255).notNullable();
      t.text('payload').notNullable();
      t.string('grant_id', 255).nullable();
      t.string('uid', 255).nullable();
      t.string('user_code', 255).nullable();
      // Unix seconds; compared with the clock in queries, so a number on every database.
      t.bigInteger('expires_at').nullable();
      t.bigInteger('consumed_at').nullable();
      t.primary(['model', 'id']);
      t.index(['model', 'grant_id']);
      t.index(['model', 'uid']);
      t.index(['expires_at']);
    });
  },
  async down(db) {
    await db.schema.dropTable(OIDC_TABLE);
  },
};

const consents: Migration = {
  async up(db) {
    await db.schema.createTable('consents', (t) => {
      t.string('id', 64).primary();
      t.string('client_id', 255).notNullable();
      t.string('type', 32).notNullable();
      t.string('status', 32).notNullable();
      t.string('status_reason', 32).notNullable();
      t.string('status_updated_at', 32).notNullable();
      t.string('customer_id', 64).nullable();
      t.text('permissions').notNullable();
      t.text('accounts').notNullable();
      t.text('subject').nullable();
      t.string('purpose', 200).nullable();
      t.string('transaction_from', 32).nullable();
      t.string('transaction_to', 32).nullable();
      t.string('expires_at', 32).notNullable();
      t.string('created_at', 32).notNullable();
      // The authorization journey this consent is being decided in, and how far it got.
      t.string('interaction_uid', 255).nullable().unique();
      t.string('journey_stage', 32).nullable();
      t.index(['customer_id']);
      t.index(['client_id']);
      t.index(['status', 'expires_at']);
      t.index(['status', 'created_at']);
    });
    await db.schema.createTable('consent_events', (t) => {
      // The change feed's order: subscribers resume from the last sequence they saw.
      t.increments('sequence').primary();
      t.string('consent_id', 64).notNullable().references('id').inTable('consents');
      t.string('client_id', 255).notNullable();
      t.string('customer_id', 64).nullable();
      t.string('type', 32).notNullable();
      t.string('from_status', 32).nullable();
      t.string('to_status', 32).notNullable();
      t.string('reason', 32).notNullable();
      t.string('actor', 16).notNullable();
      t.string('at', 32).notNullable();
      t.index(['consent_id']);
    });
  },
  async down(db) {
    await db.schema.dropTable('consent_events');
    await db.schema.dropTable('consents');
  },
};

const dashboardSessions: Migration = {
  async up(db) {
    await db.schema.createTable('dashboard_sessions', (t) => {
      // Stored as a hash, so a database leak does not hand out live sessions.
      t.string('id_hash', 64).primary();
      t.string('customer_id', 64).notNullable();
      t.bigInteger('expires_at').notNullable();
      t.index(['expires_at']);
    });
  },
  async down(db) {
    await db.schema.dropTable('dashboard_sessions');
  },
};

const dataAccess: Migration = {
  async up(db) {
    await db.schema.createTable('data_access', (t) => {
      t.increments('id').primary();
      // The gateway's id for the record: a redelivered batch inserts nothing twice. Not the
      // interaction id, which the TPP may choose and reuse to hide calls from the customer.
      t.string('record_id', 64).notNullable().unique();
      t.string('consent_id', 64).notNullable();
      t.string('client_id', 255).notNullable();
      t.string('operation', 64).notNullable();
      t.text('resources').notNullable();
      t.string('outcome', 16).notNullable();
      t.integer('status').notNullable();
      t.string('at', 32).notNullable();
      t.string('interaction_id', 64).notNullable();
      // The dashboard reads a consent's latest records.
      t.index(['consent_id', 'at']);
      t.index(['interaction_id']);
    });
  },
  async down(db) {
    await db.schema.dropTable('data_access');
  },
};

const loginThrottle: Migration = {
  async up(db) {
    await db.schema.createTable('login_throttle', (t) => {
      // `user:<login name>` or `addr:<client address>`, cut to 256 characters.
      t.string('key', 256).primary();
      t.integer('attempts').notNullable();
      t.bigInteger('window_started_at').notNullable();
    });
  },
  async down(db) {
    await db.schema.dropTable('login_throttle');
  },
};

/** Purging finds records by age alone, across consents. */
const dataAccessRetention: Migration = {
  // On PostgreSQL the index is built without blocking the gateway's deliveries to a table that
  // may be large by then, which cannot happen inside a transaction.
  config: { transaction: false },
  async up(db) {
    if (db.client.config.client === 'pg') {
      // A build that failed half-way leaves an invalid index behind: start again from nothing.
      await db.raw('DROP INDEX CONCURRENTLY IF EXISTS data_access_at_index');
      await db.raw('CREATE INDEX CONCURRENTLY data_access_at_index ON data_access (at)');
      return;
    }
    await db.schema.alterTable('data_access', (t) => t.index(['at'], 'data_access_at_index'));
  },
  async down(db) {
    if (db.client.config.client === 'pg') {
      await db.raw('DROP INDEX CONCURRENTLY IF EXISTS data_access_at_index');
      return;
    }
    await db.schema.alterTable('data_access', (t) => t.dropIndex(['at'], 'data_access_at_index'));
  },
};

/** The consent service's schema, in order. */
export const migrations = [
  ['001-oidc-models', oidcModels],
  ['002-consents', consents],
  ['003-dashboard-sessions', dashboardSessions],
  ['004-data-access', dataAccess],
  ['005-login-throttle', loginThrottle],
  ['006-data-access-retention', dataAccessRetention],
] as const;
