import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { DEMO_PASSWORD, INTERNAL_HEADERS } from '@bund/service-kit';
import type { OperationEntry } from '@bund/specs';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import { ACCOUNT_INFORMATION, authorize } from '../support/authorize.js';
import { Browser } from '../support/browser.js';
import { ConsentStack } from '../support/consent-stack.js';
import { dataAccessLinks, dataAccessRows } from '../support/dashboard-page.js';
import { assertDocumented, operationsById } from '../support/spec-validation.js';

/** A record as the gateway delivers it; `changes` override or (undefined) remove fields. */
function record(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    recordId: randomUUID(),
    interactionId: randomUUID(),
    consentId: 'consent-under-test',
    clientId: 'tpp-a',
    operation: 'getAccountBalances',
    resources: ['acc-0001-01'],
    status: 200,
    outcome: 'allowed',
    at: new Date().toISOString(),
    ...changes,
  };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete base[name];
  return base;
}

describe('Data-access records from the gateway (POST /internal/data-access)', () => {
  let stack: ConsentStack;
  let entry: OperationEntry;
  const gateway = () => ({ [INTERNAL_HEADERS.credential]: stack.gatewayCredential });
  const deliver = (body: unknown, headers: Record<string, string> = gateway()) =>
    request(stack.issuer)
      .post('/internal/data-access')
      .set(headers)
      .send(body as object);
  const stored = async (consentId = 'consent-under-test') =>
    ((await stack.service.db('data_access').where({ consent_id: consentId })) as unknown[]).length;

  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start();
    entry = (await operationsById()).get('recordDataAccess')!;
    assert.ok(entry, 'recordDataAccess is documented in specs/internal/consent-service.yaml');
  });
  afterEach(async () => stack.service.db('data_access').delete());
  after(async () => stack?.stop());

  it('stores a batch from the gateway and answers 204', async () => {
    const records = [
      record(),
      record({ operation: 'listAccounts', resources: ['acc-0001-01', 'acc-0001-03'] }),
      record({ status: 403, outcome: 'refused', resources: ['acc-0002-01'] }),
      record({ status: 502, outcome: 'failed' }),
    ];
    const res = await deliver({ records });
    assert.equal(res.status, 204, res.text);
    assertDocumented(entry, res);
    const latest = await stack.service.dataAccess.latest('consent-under-test', 50);
    assert.equal(latest.length, 4);
    assert.deepEqual(
      latest.map((r) => [r.operation, r.resources, r.status, r.outcome]).sort(),
      records.map((r) => [r.operation, r.resources, r.status, r.outcome]).sort(),
    );
  });

  describe('refuses callers other than the gateway with 401, storing nothing', () => {
    const cases: [string, Record<string, string>][] = [
      ['no credential', {}],
      ['a wrong credential', { [INTERNAL_HEADERS.credential]: 'not-the-gateway' }],
      ['a TPP’s bearer token instead', { authorization: 'Bearer abc' }],
    ];
    for (const [name, headers] of cases) {
      it(`refuses ${name}`, async () => {
        const res = await deliver({ records: [record()] }, headers);
        assert.equal(res.status, 401);
        assert.equal(res.body.code, 'unauthorized');
        assertDocumented(entry, res);
        assert.equal(await stored(), 0);
      });
    }
  });

  describe('refuses bad input with a 400 naming the field, storing none of the batch', () => {
    const tooMany = Array.from({ length: 501 }, () => record());
    const cases: [string, unknown, string][] = [
      ['a body that is not an object', [record()], '(body)'],
      ['no records', {}, '/records'],
      ['an empty batch', { records: [] }, '/records'],
      ['more than 500 records', { records: tooMany }, '/records'],
      ['an unknown top-level field', { records: [record()], extra: 1 }, '/extra'],
      [
        'a record without recordId',
        { records: [record({ recordId: undefined })] },
        '/records/0/recordId',
      ],
      [
        'a recordId that is not a UUID',
        { records: [record({ recordId: 'r-1' })] },
        '/records/0/recordId',
      ],
      [
        'an unknown record field',
        { records: [record(), record({ secret: 'x' })] },
        '/records/1/secret',
      ],
      ['an empty consentId', { records: [record({ consentId: '' })] }, '/records/0/consentId'],
      [
        'an operation that is not an operationId',
        { records: [record({ operation: 'GET /accounts' })] },
        '/records/0/operation',
      ],
      [
        'resources that are not a list',
        { records: [record({ resources: 'acc-0001-01' })] },
        '/records/0/resources',
      ],
      [
        'a resource too long',
        { records: [record({ resources: ['a'.repeat(129)] })] },
        '/records/0/resources/0',
      ],
      [
        'too many resources',
        { records: [record({ resources: Array.from({ length: 51 }, (_, i) => `acc-${i}`) })] },
        '/records/0/resources',
      ],
      [
        'a status that is not an integer',
        { records: [record({ status: '200' })] },
        '/records/0/status',
      ],
      ['an unknown outcome', { records: [record({ outcome: 'maybe' })] }, '/records/0/outcome'],
      [
        'an outcome that contradicts the status',
        { records: [record({ status: 403, outcome: 'allowed' })] },
        '/records/0/outcome',
      ],
      [
        'a status with no outcome (3xx)',
        { records: [record({ status: 304, outcome: 'allowed' })] },
        '/records/0/outcome',
      ],
      [
        'a time that is not a date-time',
        { records: [record({ at: 'yesterday' })] },
        '/records/0/at',
      ],
      [
        'one bad record among good ones',
        { records: [record(), record(), record({ clientId: 7 })] },
        '/records/2/clientId',
      ],
    ];
    for (const [name, body, parameter] of cases) {
      it(`refuses ${name} (${parameter})`, async () => {
        const res = await deliver(body);
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.code, 'invalid_parameter');
        assert.equal(res.body.errors[0].parameter, parameter, res.text);
        assert.ok(res.body.detail.startsWith(`${parameter}: `), res.body.detail);
        assertDocumented(entry, res);
        assert.equal(await stored(), 0);
      });
    }

    it('refuses a body that is not JSON with 400 malformed_body', async () => {
      const res = await request(stack.issuer)
        .post('/internal/data-access')
        .set(gateway())
        .set('content-type', 'application/json')
        .send('{"records": [');
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'malformed_body');
      assertDocumented(entry, res);
    });

    it('refuses a body that is not application/json with 415', async () => {
      const res = await request(stack.issuer)
        .post('/internal/data-access')
        .set(gateway())
        .set('content-type', 'text/plain')
        .send(JSON.stringify({ records: [record()] }));
      assert.equal(res.status, 415);
      assert.equal(res.body.code, 'unsupported_media_type');
      assertDocumented(entry, res);
    });

    it('refuses a body over 256 kB with 413', async () => {
      const big = Array.from({ length: 500 }, () =>
        record({ resources: Array.from({ length: 5 }, () => 'x'.repeat(120)) }),
      );
      const res = await deliver({ records: big });
      assert.equal(res.status, 413);
      assert.equal(res.body.code, 'payload_too_large');
      assertDocumented(entry, res);
      assert.equal(await stored(), 0);
    });

    it('refuses an unknown query parameter', async () => {
      const res = await request(stack.issuer)
        .post('/internal/data-access?debug=1')
        .set(gateway())
        .send({ records: [record()] });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'unknown_parameter');
      assertDocumented(entry, res);
    });
  });

  describe('redelivery', () => {
    it('stores a batch delivered twice once', async () => {
      const records = Array.from({ length: 3 }, () => record());
      for (let delivery = 0; delivery < 2; delivery++) {
        const res = await deliver({ records });
        assert.equal(res.status, 204, res.text);
      }
      assert.equal(await stored(), 3);
    });

    it('stores the new records of a batch that repeats some, and a repeat within a batch once', async () => {
      const first = record();
      assert.equal((await deliver({ records: [first] })).status, 204);
      const fresh = record({ operation: 'listAccountTransactions' });
      const res = await deliver({ records: [first, fresh, fresh] });
      assert.equal(res.status, 204, res.text);
      assert.deepEqual(
        (await stack.service.dataAccess.latest('consent-under-test', 50))
          .map((r) => r.operation)
          .sort(),
        ['getAccountBalances', 'listAccountTransactions'],
      );
    });

    it('keeps calls that reuse an interaction id (the TPP chooses it) as separate records', async () => {
      const interactionId = randomUUID();
      const res = await deliver({
        records: [record({ interactionId }), record({ interactionId, operation: 'getAccount' })],
      });
      assert.equal(res.status, 204, res.text);
      assert.equal(await stored(), 2);
    });
  });

  it('stores a batch in one transaction: a failure on its last record leaves nothing stored', async () => {
    const records = Array.from({ length: 150 }, () => record());
    records[149] = record({ clientId: 'tpp-poison' });
    // The database refuses the last record, after the first hundred were inserted.
    await stack.service.db.raw(`CREATE TRIGGER refuse_poison BEFORE INSERT ON data_access
      WHEN NEW.client_id = 'tpp-poison' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    try {
      const res = await deliver({ records });
      assert.equal(res.status, 500);
      assert.equal(res.body.code, 'internal_error');
      assert.equal(await stored(), 0, 'none of the 149 good records stored');
    } finally {
      await stack.service.db.raw('DROP TRIGGER refuse_poison');
    }
    // The gateway's retry then stores the whole batch.
    assert.equal((await deliver({ records })).status, 204);
    assert.equal(await stored(), 150);
  });

  describe('the customer’s dashboard', () => {
    it('lists a consent’s latest 50 records, newest first, in words, only to its customer', async function () {
      this.timeout(30_000);
      const tpp = await createTppClient({
        issuer: stack.issuer,
        clientId: stack.tpps.a.clientId,
        privateJwk: stack.tpps.a.privateJwk,
      });
      const { callback, checks } = await authorize(
        tpp,
        stack.tpps.a.redirectUri,
        [ACCOUNT_INFORMATION],
        { accounts: ['acc-0001-01'] },
      );
      const consentId = String(
        decodeJwt((await tpp.exchangeCode(callback, checks)).access_token).consent_id,
      );
      // Within the retention period: older records are no longer shown.
      const start = Date.now() - 2 * 24 * 3600_000;
      const older = Array.from({ length: 58 }, (_, i) =>
        record({ consentId, at: new Date(start + i * 60_000).toISOString() }),
      );
      const newest = [
        record({
          consentId,
          operation: 'listAccountTransactions',
          at: new Date(start + 3600_000).toISOString(),
        }),
        record({
          consentId,
          operation: 'getAccountBalances',
          resources: ['acc-0002-01'],
          status: 403,
          outcome: 'refused',
          at: new Date(start + 3660_000).toISOString(),
        }),
      ];
      assert.equal((await deliver({ records: [...newest, ...older] })).status, 204);
      const browser = new Browser();
      const login = await browser.open(`${stack.issuer}/dashboard`);
      await browser.submit(login, '/dashboard/login', {
        username: 'zhangwei',
        password: DEMO_PASSWORD,
      });
      const page = await browser.open(`${stack.issuer}/dashboard/consents/${consentId}?lang=en`);
      assert.equal(page.status, 200);
      const rows = dataAccessRows(page.html);
      assert.equal(rows.length, 50);
      assert.match(rows[0]!, /Balances acc-0002-01 Refused$/);
      assert.match(rows[1]!, /Transactions Salary account \*+ \d{4} Allowed$/);
      assert.match(rows[2]!, /Balances Salary account \*+ \d{4} Allowed$/);
      assert.ok(!page.html.includes('getAccountBalances'), 'operations in words, not ids');

      const other = new Browser();
      const otherLogin = await other.open(`${stack.issuer}/dashboard`);
      await other.submit(otherLogin, '/dashboard/login', {
        username: 'lina',
        password: DEMO_PASSWORD,
      });
      const foreign = await other.open(`${stack.issuer}/dashboard/consents/${consentId}`);
      assert.equal(foreign.status, 404);
      assert.ok(!foreign.html.includes('acc-0002-01'));
    });

    /** A consent of zhangwei's to acc-0001-01, and a browser logged in to his dashboard. */
    async function consentAndDashboard(): Promise<{ consentId: string; browser: Browser }> {
      const tpp = await createTppClient({
        issuer: stack.issuer,
        clientId: stack.tpps.a.clientId,
        privateJwk: stack.tpps.a.privateJwk,
      });
      const { callback, checks } = await authorize(
        tpp,
        stack.tpps.a.redirectUri,
        [ACCOUNT_INFORMATION],
        { accounts: ['acc-0001-01'] },
      );
      const consentId = String(
        decodeJwt((await tpp.exchangeCode(callback, checks)).access_token).consent_id,
      );
      const browser = new Browser();
      const login = await browser.open(`${stack.issuer}/dashboard`);
      await browser.submit(login, '/dashboard/login', {
        username: 'zhangwei',
        password: DEMO_PASSWORD,
      });
      return { consentId, browser };
    }

    it('pages through every kept record, 50 at a time, saying how many', async function () {
      this.timeout(30_000);
      const { consentId, browser } = await consentAndDashboard();
      const start = Date.now() - 24 * 3600_000;
      const records = Array.from({ length: 57 }, (_, i) =>
        record({ consentId, at: new Date(start + i * 60_000).toISOString() }),
      );
      // The oldest one stands out, to see that it is reached.
      records[0] = record({
        consentId,
        operation: 'getAccount',
        at: new Date(start).toISOString(),
      });
      assert.equal((await deliver({ records })).status, 204);
      const detail = `${stack.issuer}/dashboard/consents/${consentId}`;

      const first = await browser.open(`${detail}?lang=en`);
      assert.equal(first.status, 200);
      assert.equal(dataAccessRows(first.html).length, 50);
      assert.ok(first.html.includes('Showing entries 1–50 of 57, newest first.'), 'the count');
      const { older, newer: none } = dataAccessLinks(first.html);
      assert.ok(older, 'a link to the older entries');
      assert.equal(none, undefined, 'nothing newer than the latest page');

      const second = await browser.open(new URL(older, detail));
      assert.equal(second.status, 200);
      const rows = dataAccessRows(second.html);
      assert.equal(rows.length, 7);
      assert.match(rows.at(-1)!, /Account details Salary account \*+ \d{4} Allowed$/);
      assert.ok(second.html.includes('Showing entries 51–57 of 57, newest first.'), 'the count');
      const links = dataAccessLinks(second.html);
      assert.equal(links.older, undefined, 'nothing older than the oldest');
      assert.ok(links.newer, 'a link back to the newer entries');
      const back = await browser.open(new URL(links.newer, detail));
      assert.deepEqual(dataAccessRows(back.html), dataAccessRows(first.html));

      // Only its customer pages through a consent's records, whatever the link says.
      const other = new Browser();
      const otherLogin = await other.open(`${stack.issuer}/dashboard`);
      await other.submit(otherLogin, '/dashboard/login', {
        username: 'lina',
        password: DEMO_PASSWORD,
      });
      assert.equal((await other.open(new URL(older, detail))).status, 404);
    });

    it('shows the latest page for a paging link that is not one of its own', async function () {
      this.timeout(30_000);
      const { consentId, browser } = await consentAndDashboard();
      const start = Date.now() - 24 * 3600_000;
      const records = Array.from({ length: 57 }, (_, i) =>
        record({ consentId, at: new Date(start + i * 60_000).toISOString() }),
      );
      assert.equal((await deliver({ records })).status, 204);
      const detail = `${stack.issuer}/dashboard/consents/${consentId}`;
      const latest = dataAccessRows((await browser.open(`${detail}?lang=en`)).html);
      for (const query of [
        'older=garbage',
        'older=-5',
        'older=-1-1',
        'newer=-1--1',
        'older=99999999999999999999-1',
        'older=1-2&newer=1-2',
        'older=1-2&older=3-4',
        'older[x]=1',
        'older=%ZZ',
        `older=${'9'.repeat(5000)}`,
      ]) {
        const page = await browser.open(`${detail}?${query}`);
        assert.equal(page.status, 200, query);
        assert.deepEqual(dataAccessRows(page.html), latest, query);
        assert.ok(page.html.includes('Showing entries 1–50 of 57, newest first.'), query);
      }
    });

    it('names the customer’s account a TPP was not given, not by its id', async function () {
      this.timeout(30_000);
      const { consentId, browser } = await consentAndDashboard();
      const refused = record({
        consentId,
        resources: ['acc-0001-03'],
        status: 403,
        outcome: 'refused',
      });
      assert.equal((await deliver({ records: [refused] })).status, 204);
      const page = await browser.open(`${stack.issuer}/dashboard/consents/${consentId}?lang=en`);
      assert.equal(page.status, 200);
      const [row] = dataAccessRows(page.html);
      assert.match(row!, /Balances Everyday credit card \*+ \d{4} Refused$/);
      assert.ok(!page.html.includes('acc-0001-03'), 'not the bank’s id');
    });
  });
});
