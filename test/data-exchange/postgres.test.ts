import assert from 'node:assert/strict';
import request from 'supertest';
import { createDatabase, migrate } from '@bund/service-kit';
import type { DataExchange } from '@bund/data-exchange/build';
import { migrations } from '@bund/data-exchange/db/migrations';
import { seedIfEmpty } from '@bund/data-exchange/seed/seed-database';
import { dropSchema, reachablePostgres, uniqueSchema } from '../support/postgres.js';
import { ANCHOR_DATE, HEFENG, MINGYUAN, asCustomer, buildTestService } from './helpers.js';

const PATHS: ReadonlyArray<readonly [string, string]> = [
  [`/enterprises/${MINGYUAN}`, 'mingyuan'],
  [`/enterprises/${MINGYUAN}/tax-grades`, 'mingyuan'],
  [`/enterprises/${MINGYUAN}/invoice-summaries?fromMonth=2024-11&toMonth=2025-02`, 'mingyuan'],
  [`/enterprises/${HEFENG}/utility-payments?utility=gas`, 'hefeng'],
  ['/individuals/me/credit-summary', 'chenjie'],
];

describe('data-exchange on PostgreSQL', function () {
  let url: string | undefined;
  const schema = uniqueSchema('data_exchange_test');
  let service: DataExchange | undefined;
  let sqlite: DataExchange | undefined;

  before(async function () {
    url = await reachablePostgres();
    if (!url) {
      this.skip();
      return;
    }
    service = await buildTestService({ databaseUrl: url, databaseSchema: schema });
    sqlite = await buildTestService();
  });

  after(async () => {
    await service?.db.destroy();
    await sqlite?.db.destroy();
    if (url) await dropSchema(url, schema);
  });

  it('migrates and seeds its own schema', async () => {
    const rows = await service!.db.raw(
      'select count(*) as n from information_schema.tables where table_schema = ?',
      [schema],
    );
    assert.ok(Number(rows.rows[0].n) >= 9);
    assert.deepEqual(service!.seedRun, { seed: 20260102, anchorDate: ANCHOR_DATE });
  });

  for (const [path, username] of PATHS) {
    it(`answers GET ${path} exactly as on SQLite`, async () => {
      const onPostgres = await request(service!.app).get(path).set(asCustomer(username));
      const onSqlite = await request(sqlite!.app).get(path).set(asCustomer(username));
      assert.equal(onPostgres.status, 200, onPostgres.text);
      assert.deepEqual(onPostgres.body, onSqlite.body);
    });
  }

  it("answers another customer's enterprise with 404", async () => {
    const res = await request(service!.app)
      .get(`/enterprises/${HEFENG}`)
      .set(asCustomer('mingyuan'));
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
  });

  it('keeps its data on a second start, whatever the new anchor date', async () => {
    const again = await buildTestService({
      databaseUrl: url!,
      databaseSchema: schema,
      seedAnchorDate: '2026-11-25',
    });
    try {
      assert.deepEqual(again.seedRun, { seed: 20260102, anchorDate: ANCHOR_DATE });
      const count = await again.db('invoice_months').count({ n: '*' });
      assert.equal(Number(count[0]!.n), 144);
    } finally {
      await again.db.destroy();
    }
  });

  it('seeds once when replicas start together on one schema: every one reports the winner', async () => {
    const raceSchema = uniqueSchema('data_exchange_race');
    const replicas = [0, 1, 2].map(() =>
      createDatabase({ databaseUrl: url!, sqliteFile: '', schema: raceSchema }),
    );
    try {
      await migrate(replicas[0]!, migrations);
      const runs = await Promise.all(
        replicas.map((db, i) => seedIfEmpty(db, { seed: 100 + i, anchorDate: ANCHOR_DATE })),
      );
      assert.equal(new Set(runs.map((run) => run.seed)).size, 1);
      const count = await replicas[0]!('enterprises').count({ n: '*' });
      assert.equal(Number(count[0]!.n), 6);
    } finally {
      await Promise.all(replicas.map((db) => db.destroy()));
      await dropSchema(url!, raceSchema);
    }
  });
});
