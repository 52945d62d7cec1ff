import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { migrate } from '@bund/service-kit';
import type { Knex } from '@bund/service-kit';
import { migrations } from '@bund/consent-service/db/migrations';
import type { DataAccessRecord } from '@bund/consent-service/data-access/data-access-record';
import { DataAccessStore } from '@bund/consent-service/data-access/data-access-store';
import { testDatabases } from '../support/postgres.js';
import type { TestDatabase } from '../support/postgres.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');

/**
 * `count` records of one consent, a minute apart, oldest first; every third shares its
 * millisecond with the one before, so paging must order by row id as well as by time.
 */
function records(count: number, consentId = 'c-paged'): DataAccessRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    recordId: randomUUID(),
    interactionId: randomUUID(),
    consentId,
    clientId: 'tpp-a',
    operation: 'getAccount',
    resources: [`acc-${i}`],
    status: 200,
    outcome: 'allowed',
    at: new Date(NOW - 3600_000 + (i - (i % 3 === 2 ? 1 : 0)) * 60_000).toISOString(),
  }));
}

/** Which records a page holds, by their resource (`acc-<n>`, n counting from the oldest). */
const names = (page: { records: { resources: string[] }[] }) =>
  page.records.map((r) => r.resources[0]);
const newestFirst = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, i) => `acc-${from - i}`);

/**
 * Paging through a consent's records, against each database the consent service runs on;
 * `open` resolves to undefined when that database is not there (it has said why).
 */
function pagingSuite(name: string, open: () => Promise<TestDatabase | undefined>) {
  describe(`Data-access paging on ${name}`, function () {
    this.timeout(60_000);
    let db: Knex;
    let done: () => Promise<void>;
    let store: DataAccessStore;

    beforeEach(async function () {
      const opened = await open();
      if (!opened) return this.skip();
      ({ db, done } = opened);
      await migrate(db, migrations);
      store = new DataAccessStore(db, 30, () => NOW);
      await store.add([...records(57), ...records(5, 'c-other')]);
    });
    afterEach(async () => done?.());

    it('pages older and back newer through every record, with the count and places', async () => {
      const first = await store.page('c-paged', 50);
      assert.deepEqual(names(first), newestFirst(56, 7));
      assert.equal(first.total, 57);
      assert.equal(first.newer, 0);

      const older = await store.page('c-paged', 50, { olderThan: first.records.at(-1)! });
      assert.deepEqual(names(older), newestFirst(6, 0), 'the 7 older ones, of this consent only');
      assert.equal(older.newer, 50);

      const back = await store.page('c-paged', 50, { newerThan: older.records[0]! });
      assert.deepEqual(names(back), newestFirst(56, 7));
      assert.equal(back.newer, 0);
    });

    it('keeps a page’s place while new records arrive', async () => {
      const first = await store.page('c-paged', 20);
      await store.add(
        records(3, 'c-paged').map((r) => ({ ...r, at: new Date(NOW).toISOString() })),
      );
      const older = await store.page('c-paged', 20, { olderThan: first.records.at(-1)! });
      assert.deepEqual(names(older), newestFirst(36, 17));
      assert.equal(older.total, 60);
      assert.equal(older.newer, 23);
    });

    it('shows the latest page for a place with nothing beyond it', async () => {
      const first = await store.page('c-paged', 50);
      const none = await store.page('c-paged', 50, {
        olderThan: { at: '2000-01-01T00:00:00.000Z', id: 1 },
      });
      assert.deepEqual(names(none), names(first));
      const short = await store.page('c-paged', 50, { newerThan: first.records[3]! });
      assert.deepEqual(names(short), names(first), 'not a page of the 3 newest alone');
      // A place no row can have (a mangled link): PostgreSQL would refuse the id outright.
      for (const id of [9_999_999_999, -1, 1.5]) {
        const beyondAny = await store.page('c-paged', 50, {
          olderThan: { at: first.records[0]!.at, id },
        });
        assert.deepEqual(names(beyondAny), names(first), `the latest page for id ${id}`);
      }
    });
  });
}

for (const [name, open] of testDatabases('data_access_paging')) pagingSuite(name, open);
