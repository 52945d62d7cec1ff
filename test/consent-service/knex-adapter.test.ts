import assert from 'node:assert/strict';
import { createDatabase, migrate } from '@bund/service-kit';
import type { Knex } from '@bund/service-kit';
import { migrations } from '@bund/consent-service/db/migrations';
import {
  DuplicateReplayValue,
  KnexAdapter,
  purgeExpired,
} from '@bund/consent-service/oidc/knex-adapter';

/** The adapter that keeps every oidc-provider model in the database. */
describe('consent-service: the knex adapter for oidc-provider', () => {
  let db: Knex;
  beforeEach(async () => {
    db = createDatabase({ databaseUrl: '', sqliteFile: ':memory:' });
    await migrate(db, migrations);
  });
  afterEach(async () => db.destroy());

  it('finds what it stored until it expires, and purges expired rows', async () => {
    const sessions = new KnexAdapter(db, 'Session');
    await sessions.upsert('live', { uid: 'u1', accountId: 'cus-0001' }, 3600);
    await sessions.upsert('dead', { uid: 'u2' }, 1);
    await db('oidc_models')
      .where({ id: 'dead' })
      .update({ expires_at: Math.floor(Date.now() / 1000) - 10 });
    assert.deepEqual(await sessions.findByUid('u1'), { uid: 'u1', accountId: 'cus-0001' });
    assert.equal(await sessions.find('dead'), undefined, 'an expired row is never returned');
    assert.equal(await purgeExpired(db), 1);
    assert.deepEqual(
      (await db('oidc_models').select('id')).map((r: { id: string }) => r.id),
      ['live'],
    );
  });

  it('consumes a code once and revokes everything of a grant', async () => {
    const codes = new KnexAdapter(db, 'AuthorizationCode');
    const tokens = new KnexAdapter(db, 'RefreshToken');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await tokens.upsert('r1', { grantId: 'g1' }, 3600);
    await tokens.upsert('r2', { grantId: 'g2' }, 3600);
    await codes.consume('c1');
    assert.ok((await codes.find('c1'))?.consumed, 'a consumed code says so');
    await tokens.revokeByGrantId('g1');
    assert.equal(await tokens.find('r1'), undefined);
    assert.ok(await tokens.find('r2'), "another grant's token is untouched");
  });

  it('refuses a replayed value instead of overwriting it', async () => {
    const replay = new KnexAdapter(db, 'ReplayDetection');
    await replay.upsert('jti-1', { iss: 'tpp-a' }, 60);
    await assert.rejects(replay.upsert('jti-1', { iss: 'tpp-a' }, 60), DuplicateReplayValue);
  });
});
