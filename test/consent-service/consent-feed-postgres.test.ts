import assert from 'node:assert/strict';
import pg from 'pg';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import { changeChannel } from '@bund/consent-service/change-feed/pg-change-signal';
import { ConsentStack } from '../support/consent-stack.js';
import { accountInformationRequest, consentApiTpp } from '../support/consent-api.js';
import type { ConsentApiTpp } from '../support/consent-api.js';
import { dropSchema, reachablePostgres, uniqueSchema } from '../support/postgres.js';
import { SseSubscription } from '../support/sse.js';
import { fromFetch } from '../support/spec-validation.js';

describe('Consent change feed across two consent-service replicas on one PostgreSQL', function () {
  this.timeout(60_000);
  let url: string | undefined;
  const schema = uniqueSchema('consent_feed');
  let one: ConsentStack;
  let two: ConsentStack;
  let tpp: ConsentApiTpp;
  const open: SseSubscription[] = [];

  async function subscribe(stack: ConsentStack) {
    const feed = await SseSubscription.open(`${stack.issuer}/internal/consents/changes`, {
      [INTERNAL_HEADERS.credential]: stack.gatewayCredential,
    });
    open.push(feed);
    assert.equal(feed.response.status, 200);
    await feed.waitFor((e) => e.event === 'ready');
    return feed;
  }
  async function createConsent(): Promise<string> {
    const res = await fromFetch(
      await tpp.client.callConsentApi(tpp.token, 'POST', '/consents', accountInformationRequest()),
    );
    assert.equal(res.status, 201, res.text);
    return (res.body as { data: { consentId: string } }).data.consentId;
  }

  before(async function () {
    url = await reachablePostgres();
    if (!url) return this.skip();
    // A long heartbeat, so only the NOTIFY (or a reconnection) can wake the readers in time.
    const options = { databaseUrl: url, databaseSchema: schema, feedHeartbeatMs: 60_000 };
    one = await ConsentStack.start(options);
    two = await ConsentStack.start(options);
    tpp = await consentApiTpp(one, one.tpps.a);
  });
  afterEach(() => {
    for (const feed of open.splice(0)) feed.close();
  });
  after(async () => {
    await one?.stop();
    await two?.stop();
    if (url) await dropSchema(url, schema);
  });

  it("announces a change committed through one replica on the other replica's feed within a second", async () => {
    const feed = await subscribe(two);
    const id = await createConsent();
    await feed.waitForConsent(id, 'AwaitingAuthorisation', 1000);
    const res = await tpp.client.callConsentApi(tpp.token, 'DELETE', `/consents/${id}`);
    assert.equal(res.status, 204);
    const rejected = await feed.waitForConsent(id, 'Rejected', 1000);
    assert.equal(JSON.parse(rejected.data).reason, 'tpp_revoked');
  });

  it('streams every change written on both replicas at once, to both, in one order', async () => {
    const feeds = [await subscribe(one), await subscribe(two)];
    const tppOnTwo = await consentApiTpp(two, two.tpps.b);
    const create = (client: ConsentApiTpp) => async () => {
      const res = await fromFetch(
        await client.client.callConsentApi(
          client.token,
          'POST',
          '/consents',
          accountInformationRequest(),
        ),
      );
      assert.equal(res.status, 201, res.text);
      return (res.body as { data: { consentId: string } }).data.consentId;
    };
    const ids = await Promise.all(
      [
        ...Array.from({ length: 10 }, () => create(tpp)),
        ...Array.from({ length: 10 }, () => create(tppOnTwo)),
      ].map((f) => f()),
    );
    for (const feed of feeds) {
      for (const id of ids) await feed.waitForConsent(id, 'AwaitingAuthorisation', 2000);
      const sequences = feed.events.filter((e) => e.event === 'consent').map((e) => Number(e.id));
      assert.equal(sequences.length, 20);
      assert.deepEqual(
        sequences,
        [...sequences].sort((x, y) => x - y),
        'events out of order',
      );
      assert.equal(new Set(sequences).size, 20, 'an event was sent twice');
    }
    assert.deepEqual(
      feeds[0]!.events.filter((e) => e.event === 'consent').map((e) => e.id),
      feeds[1]!.events.filter((e) => e.event === 'consent').map((e) => e.id),
    );
  });

  it('reconnects its listener after losing the connection, and reads what it missed meanwhile', async () => {
    const feed = await subscribe(two);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const killed = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = $1',
        [`LISTEN "${changeChannel(schema)}"`],
      );
      assert.equal(killed.rowCount, 2, 'both replicas were listening');
    } finally {
      await admin.end();
    }
    // Committed while nobody listens: read when the listener is back.
    const missed = await createConsent();
    await feed.waitForConsent(missed, 'AwaitingAuthorisation', 3000);
    // Listening again: a new change arrives as fast as before.
    const next = await createConsent();
    await feed.waitForConsent(next, 'AwaitingAuthorisation', 1000);
  });
});
