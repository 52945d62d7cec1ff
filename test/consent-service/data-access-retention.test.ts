import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { migrate } from '@bund/service-kit';
import type { Knex } from '@bund/service-kit';
import { migrations } from '@bund/consent-service/db/migrations';
import type { DataAccessRecord } from '@bund/consent-service/data-access/data-access-record';
import { DataAccessStore } from '@bund/consent-service/data-access/data-access-store';
import { ConsentStack } from '../support/consent-stack.js';
import { testDatabases } from '../support/postgres.js';
import type { TestDatabase } from '../support/postgres.js';

const DAY_MS = 24 * 60 * 60_000;
const NOW = Date.parse('2026-11-25T08:00:00Z');

/** `count` records of one consent, made `daysAgo` days before `now`. */
function recordsFrom(
  daysAgo: number,
  count: number,
  consentId = 'c-kept',
  now = NOW,
): DataAccessRecord[] {
  return Array.from({ length: count }, () => ({
    recordId: randomUUID(),
    interactionId: randomUUID(),
    consentId,
    clientId: 'tpp-a',
    operation: 'getAccount',
    resources: ['acc-0001-01'],
    status: 200,
    outcome: 'allowed',
    at: new Date(now - daysAgo * DAY_MS).toISOString(),
  }));
}

/** How many data-access records the database holds (of one consent, when given). */
async function dataAccessRows(db: Knex, consentId?: string): Promise<number> {
  const query = db('data_access');
  if (consentId) query.where({ consent_id: consentId });
  return Number(((await query.count({ n: '*' })) as { n: number | string }[])[0]!.n);
}

/**
 * The purge, against each database the consent service runs on; `open` resolves to undefined
 * when that database is not there (it has said why), and the suite skips.
 */
function purgeSuite(name: string, open: () => Promise<TestDatabase | undefined>) {
  describe(`Data-access retention on ${name}`, function () {
    this.timeout(60_000);
    let db: Knex;
    let done: () => Promise<void>;
    /** DELETE statements run since the test's schema was made. */
    let deletes: number;
    const count = () => dataAccessRows(db);

    beforeEach(async function () {
      const opened = await open();
      if (!opened) return this.skip();
      ({ db, done } = opened);
      await migrate(db, migrations);
      deletes = 0;
      db.on('query', (query: { sql: string }) => {
        if (/^delete/i.test(query.sql)) deletes += 1;
      });
    });
    afterEach(async () => done?.());

    it('deletes the records older than the retention period, a thousand at a time, and keeps the rest', async () => {
      const store = new DataAccessStore(db, 180, () => NOW);
      const kept = [...recordsFrom(179, 3), ...recordsFrom(0, 2)];
      await store.add([...recordsFrom(181, 1200, 'c-old'), ...kept.slice(0, 3)]);
      await store.add([...recordsFrom(400, 1100, 'c-old'), ...kept.slice(3)]);
      assert.equal(await store.purgeExpired(), 2300);
      assert.equal(deletes, 3, 'short statements of a thousand rows, not one long one');
      assert.equal(await count(), 5);
      assert.deepEqual(
        (await store.latest('c-kept', 10)).map((r) => r.at).sort(),
        kept.map((r) => r.at).sort(),
      );
      assert.equal(await store.purgeExpired(), 0, 'nothing more to purge');
    });

    it('stops between two deletes when asked (shutdown), and the next purge goes on', async () => {
      const store = new DataAccessStore(db, 180, () => NOW);
      await store.add(recordsFrom(181, 1500, 'c-old'));
      assert.equal(await store.purgeExpired(() => deletes >= 1), 1000);
      assert.equal(await count(), 500);
      assert.equal(await store.purgeExpired(), 500);
    });

    it('keeps records for the configured number of days, and no longer shows older ones', async () => {
      const store = new DataAccessStore(db, 30, () => NOW);
      const kept = [...recordsFrom(30, 1), ...recordsFrom(29, 1)];
      await store.add([...recordsFrom(31, 1), ...kept]);
      const shown = async () => (await store.latest('c-kept', 10)).map((r) => r.at).sort();
      assert.deepEqual(await shown(), kept.map((r) => r.at).sort(), 'hidden before the purge');
      assert.equal(await store.purgeExpired(), 1);
      assert.equal(await count(), 2, 'a record exactly 30 days old is kept');
      assert.deepEqual(await shown(), kept.map((r) => r.at).sort());
    });
  });
}

for (const [name, open] of testDatabases('data_access_retention')) purgeSuite(name, open);

describe('Data-access retention in the consent service’s housekeeping', () => {
  let stack: ConsentStack;
  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start({ dataAccessRetentionDays: 90 });
  });
  after(async () => stack?.stop());

  it('purges the records past the configured retention with the other expired rows', async () => {
    const recent = recordsFrom(89, 1, 'c-kept', Date.now());
    await stack.service.dataAccess.add([...recordsFrom(91, 1, 'c-kept', Date.now()), ...recent]);
    await stack.service.purgeExpired();
    assert.deepEqual(
      (await stack.service.dataAccess.latest('c-kept', 10)).map((r) => r.at),
      recent.map((r) => r.at),
    );
  });

  it('still purges when other housekeeping steps fail, and reports every failure', async () => {
    const { db } = stack.service;
    const recent = recordsFrom(89, 1, 'c-steps', Date.now());
    await stack.service.dataAccess.add([...recordsFrom(91, 1, 'c-steps', Date.now()), ...recent]);
    const away = (table: string) => db.schema.renameTable(table, `${table}_away`);
    const back = (table: string) => db.schema.renameTable(`${table}_away`, table);
    await away('login_throttle');
    try {
      await assert.rejects(stack.service.purgeExpired(), /login_throttle/);
      assert.deepEqual(
        (await stack.service.dataAccess.latest('c-steps', 10)).map((r) => r.at),
        recent.map((r) => r.at),
      );
      assert.equal(
        await dataAccessRows(db, 'c-steps'),
        1,
        'the old record was deleted, not only hidden',
      );
      await away('dashboard_sessions');
      await assert.rejects(stack.service.purgeExpired(), (error: unknown) => {
        assert.ok(error instanceof AggregateError);
        assert.equal(error.errors.length, 2);
        return true;
      });
    } finally {
      await back('login_throttle');
      if (await db.schema.hasTable('dashboard_sessions_away')) await back('dashboard_sessions');
    }
    await stack.service.purgeExpired();
  });
});
