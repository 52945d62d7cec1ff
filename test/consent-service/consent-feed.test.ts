import assert from 'node:assert/strict';
import request from 'supertest';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import type { OperationEntry } from '@bund/specs';
import { ConsentStack } from '../support/consent-stack.js';
import {
  accountInformationRequest,
  authoriseInBrowser,
  consentApiTpp,
} from '../support/consent-api.js';
import type { ConsentApiTpp } from '../support/consent-api.js';
import { SseSubscription } from '../support/sse.js';
import type { SseEvent } from '../support/sse.js';
import {
  ajv,
  assertDocumented,
  fromFetch,
  operationsById,
  validatorFor,
} from '../support/spec-validation.js';

/** The schema of a `consent` event's data, from the internal spec. */
function assertEventDocumented(entry: OperationEntry, event: SseEvent) {
  const media = entry.operation.responses['200']!.content!['text/event-stream'] as {
    schema: { 'x-event-data': object };
  };
  const validate = validatorFor(media.schema['x-event-data']);
  assert.ok(
    validate(JSON.parse(event.data)),
    `event data breaks the schema: ${ajv.errorsText(validate.errors)}\n${event.data}`,
  );
}

describe('Gateway consent read and change feed (/internal/consents)', () => {
  let stack: ConsentStack;
  let tpp: ConsentApiTpp;
  let operations: Map<string, OperationEntry>;
  const open: SseSubscription[] = [];
  const gateway = () => ({ [INTERNAL_HEADERS.credential]: stack.gatewayCredential });

  async function subscribe(headers: Record<string, string> = gateway(), query = '') {
    const subscription = await SseSubscription.open(
      `${stack.issuer}/internal/consents/changes${query}`,
      headers,
    );
    open.push(subscription);
    return subscription;
  }
  async function createConsent(): Promise<string> {
    const res = await fromFetch(
      await tpp.client.callConsentApi(tpp.token, 'POST', '/consents', accountInformationRequest()),
    );
    assert.equal(res.status, 201, res.text);
    return (res.body as { data: { consentId: string } }).data.consentId;
  }
  async function revoke(id: string) {
    const res = await tpp.client.callConsentApi(tpp.token, 'DELETE', `/consents/${id}`);
    assert.equal(res.status, 204);
  }

  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start({ feedHeartbeatMs: 300 });
    tpp = await consentApiTpp(stack, stack.tpps.a);
    operations = await operationsById();
  });
  afterEach(() => {
    for (const subscription of open.splice(0)) subscription.close();
  });
  after(async () => stack?.stop());

  describe('GET /internal/consents/{consentId}', () => {
    it('gives the gateway the consent with its owner, customer, accounts, window and feed position', async function () {
      this.timeout(30_000);
      const id = await createConsent();
      await authoriseInBrowser(tpp, 'account_information', id);
      const res = await request(stack.issuer).get(`/internal/consents/${id}`).set(gateway());
      assertDocumented(operations.get('getInternalConsent')!, res);
      const latest = await stack.service.consents.store.latestSequence();
      assert.deepEqual(
        { ...res.body.data, statusUpdatedAt: undefined },
        {
          consentId: id,
          type: 'account_information',
          status: 'Authorised',
          statusReason: 'customer_authorised',
          statusUpdatedAt: undefined,
          clientId: 'tpp-a',
          customerId: 'cus-0001',
          permissions: accountInformationRequest().permissions,
          accounts: ['acc-0001-01', 'acc-0001-03'],
          subject: null,
          transactionFromDateTime: '2025-01-01T00:00:00.000Z',
          transactionToDateTime: '2025-12-31T23:59:59.000Z',
          expirationDateTime: res.body.data.expirationDateTime,
          sequence: latest,
        },
      );
    });

    it('answers 404 for an unknown consent and 401 without the gateway credential', async () => {
      const unknown = await request(stack.issuer).get('/internal/consents/nope').set(gateway());
      assertDocumented(operations.get('getInternalConsent')!, unknown);
      assert.equal(unknown.status, 404);
      const id = await createConsent();
      for (const headers of [
        {},
        { [INTERNAL_HEADERS.credential]: 'guess' },
        { Authorization: `DPoP ${tpp.token}` },
      ]) {
        const res = await request(stack.issuer).get(`/internal/consents/${id}`).set(headers);
        assertDocumented(operations.get('getInternalConsent')!, res);
        assert.equal(res.status, 401);
      }
    });
  });

  describe('GET /internal/consents/changes', () => {
    const entry = () => operations.get('streamConsentChanges')!;

    it('refuses a subscriber without the gateway credential with 401', async () => {
      const refusedHeaders: Record<string, string>[] = [
        {},
        { [INTERNAL_HEADERS.credential]: 'guess' },
      ];
      for (const headers of refusedHeaders) {
        const subscription = await subscribe(headers);
        assertDocumented(entry(), await fromFetch(subscription.response));
        assert.equal(subscription.response.status, 401);
      }
    });

    it('starts at the current end with a ready event, and streams a revocation within a second', async function () {
      this.timeout(30_000);
      const id = await createConsent();
      await authoriseInBrowser(tpp, 'account_information', id);
      const feed = await subscribe();
      assert.equal(feed.response.status, 200);
      assert.match(String(feed.response.headers.get('content-type')), /^text\/event-stream/);
      assert.ok(feed.response.headers.get('x-fapi-interaction-id'));
      const ready = await feed.waitFor((e) => e.event === 'ready');
      const latest = await stack.service.consents.store.latestSequence();
      assert.equal(ready.id, String(latest));
      assert.equal(ready.retry, 1000);
      assert.deepEqual(JSON.parse(ready.data), { after: latest, reset: false });

      await revoke(id);
      const revokedAt = Date.now();
      const event = await feed.waitForConsent(id, 'Revoked', 1000);
      assert.ok(Date.now() - revokedAt < 1000);
      assert.equal(event.id, String(latest + 1));
      assertEventDocumented(entry(), event);
      assert.deepEqual(
        { ...JSON.parse(event.data), at: undefined },
        {
          consentId: id,
          clientId: 'tpp-a',
          status: 'Revoked',
          reason: 'tpp_revoked',
          actor: 'tpp',
          at: undefined,
          type: 'account_information',
        },
      );
      assert.equal(feed.consentEvents().length, 1, 'nothing from before the subscription');
    });

    it('announces every change to every subscriber', async () => {
      const feeds = await Promise.all([subscribe(), subscribe(), subscribe()]);
      await Promise.all(feeds.map((feed) => feed.waitFor((e) => e.event === 'ready')));
      const id = await createConsent();
      await revoke(id);
      for (const feed of feeds) {
        await feed.waitForConsent(id, 'Rejected', 1000);
        assert.deepEqual(
          feed.consentEvents().map((e) => e.status),
          ['AwaitingAuthorisation', 'Rejected'],
        );
      }
    });

    it('replays what a subscriber missed when it reconnects with Last-Event-ID (or ?after=)', async () => {
      const first = await subscribe();
      const ready = await first.waitFor((e) => e.event === 'ready');
      const seen = await createConsent();
      await first.waitForConsent(seen, 'AwaitingAuthorisation');
      const lastEventId = first.lastEventId!;
      first.close();

      const missed = [await createConsent(), await createConsent()];
      await revoke(missed[0]!);

      const again = await subscribe({ ...gateway(), 'Last-Event-ID': lastEventId });
      await again.waitForConsent(missed[0]!, 'Rejected');
      assert.deepEqual(
        again.consentEvents().map((e) => [e.consentId, e.status]),
        [
          [missed[0], 'AwaitingAuthorisation'],
          [missed[1], 'AwaitingAuthorisation'],
          [missed[0], 'Rejected'],
        ],
      );
      const ids = again.events.filter((e) => e.event === 'consent').map((e) => Number(e.id));
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => x - y),
      );
      assert.equal(ids[0], Number(lastEventId) + 1);

      const byQuery = await subscribe(gateway(), `?after=${ready.id}`);
      await byQuery.waitForConsent(missed[0]!, 'Rejected');
      assert.deepEqual(byQuery.consentEvents()[0]!.consentId, seen);

      // And it goes on live after the replay.
      const later = await createConsent();
      await again.waitForConsent(later, 'AwaitingAuthorisation', 1000);
    });

    it('tells a subscriber from a reset database to start over', async () => {
      const feed = await subscribe({ ...gateway(), 'Last-Event-ID': '999999' });
      const ready = await feed.waitFor((e) => e.event === 'ready');
      assert.deepEqual(JSON.parse(ready.data), {
        after: await stack.service.consents.store.latestSequence(),
        reset: true,
      });
    });

    it('refuses a position that is not an event id with 400', async () => {
      for (const [headers, query] of [
        [{ ...gateway(), 'Last-Event-ID': 'abc' }, ''],
        [gateway(), '?after=-1'],
        [gateway(), '?from=1'],
      ] as const) {
        const subscription = await subscribe(headers, query);
        const res = await fromFetch(subscription.response);
        assertDocumented(entry(), res);
        assert.equal(res.status, 400);
      }
    });

    it('sends a heartbeat comment while nothing changes', async () => {
      const feed = await subscribe();
      assert.equal(await feed.waitForComment(2000), 'heartbeat');
    });

    it('ends open streams when the service shuts down', async () => {
      const feed = await subscribe();
      await feed.waitFor((e) => e.event === 'ready');
      assert.ok(stack.service.feed.subscribers >= 1);
      stack.service.feed.close();
      await assert.rejects(
        feed.waitFor(() => false, 1000),
        /stream ended/,
      );
      assert.equal(stack.service.feed.subscribers, 0);
    });
  });
});
