import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import { Registry } from 'prom-client';
import { DEMO_PASSWORD, INTERNAL_HEADERS, createLogger } from '@bund/service-kit';
import type { StoredDataAccess } from '@bund/consent-service/data-access/data-access-store';
import { DataAccessRecorder } from '@bund/gateway/data-access/data-access-recorder';
import type {
  DataAccessRecord,
  DataAccessRecorderOptions,
} from '@bund/gateway/data-access/data-access-recorder';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { Browser } from '../support/browser.js';
import { BundStack } from '../support/bund-stack.js';
import { dataAccessRows } from '../support/dashboard-page.js';
import { eventually } from '../support/eventually.js';
import { metricValue } from '../support/metrics-text.js';

/** A stored record without the consent service's own row id, which the gateway never sends. */
const withoutRowId = ({ id: _rowId, ...record }: StoredDataAccess) => record;

describe('Data access under a consent, recorded by the gateway and shown to the customer', () => {
  let stack: BundStack;
  let accessToken: string;
  let consentId: string;
  /** What the consent service stored, newest first, as the gateway sent it (no row id). */
  const records = async () =>
    (await stack.consentService.dataAccess.latest(consentId, 50)).map(withoutRowId);
  const call = (path: string) => stack.call(stack.tpps.a, accessToken, path);

  before(async function () {
    this.timeout(60_000);
    stack = await BundStack.start();
    const tokens = await stack.tokensFor(stack.tpps.a, [ACCOUNT_INFORMATION], {
      accounts: ['acc-0001-01', 'acc-0001-03'],
    });
    accessToken = tokens.access_token;
    consentId = String(decodeJwt(accessToken).consent_id);
  });
  after(async () => stack?.stop());

  it('delivers a record of each call, allowed or refused, to the consent service within seconds', async () => {
    const list = await call('/accounts');
    const transactions = await call('/accounts/acc-0001-01/transactions?limit=5');
    const refused = await call('/accounts/acc-0001-02/balances');
    assert.equal(list.status, 200);
    assert.equal(transactions.status, 200);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { code: string }).code, 'account_not_consented');

    const stored = await eventually('three records', async () => {
      const latest = await records();
      return latest.length >= 3 ? latest : undefined;
    });
    assert.ok(stored, 'three records within 3 s');
    const byOperation = new Map(stored.map((r) => [r.operation, r]));
    const expect = (response: Response, expected: Partial<StoredDataAccess>) => {
      const found = byOperation.get(expected.operation!);
      assert.ok(found, `a record of ${expected.operation}`);
      assert.deepEqual(found, {
        clientId: 'tpp-a',
        interactionId: response.headers.get('x-fapi-interaction-id'),
        at: found.at,
        ...expected,
      });
      assert.ok(Date.now() - Date.parse(found.at) < 60_000);
    };
    expect(list, {
      operation: 'listAccounts',
      resources: ['acc-0001-01', 'acc-0001-03'],
      status: 200,
      outcome: 'allowed',
    });
    expect(transactions, {
      operation: 'listAccountTransactions',
      resources: ['acc-0001-01'],
      status: 200,
      outcome: 'allowed',
    });
    expect(refused, {
      operation: 'getAccountBalances',
      resources: ['acc-0001-02'],
      status: 403,
      outcome: 'refused',
    });
    assert.equal(stored.length, 3);

    const metrics = await (await fetch(`${stack.opsSlot.url}/metrics`)).text();
    assert.equal(metricValue(metrics, 'bund_data_access_delivered_total'), 3);
    assert.equal(metricValue(metrics, 'bund_data_access_queue_length'), 0);
    assert.equal(
      metricValue(metrics, 'bund_data_access_dropped_total', { reason: 'queue_full' }),
      0,
    );
  });

  it('shows the customer, on the consent’s page in the dashboard, when and what the TPP read', async () => {
    const browser = new Browser();
    const login = await browser.open(`${stack.consent.url}/dashboard`);
    await browser.submit(login, '/dashboard/login', {
      username: 'zhangwei',
      password: DEMO_PASSWORD,
    });
    const page = await browser.open(`${stack.consent.url}/dashboard/consents/${consentId}?lang=en`);
    assert.equal(page.status, 200);
    const rows = dataAccessRows(page.html);
    assert.equal(rows.length, 3);
    // Newest first: the refused balance read (of their savings account, which the consent does
    // not cover: named as the customer knows it), then transactions, then the account list.
    assert.match(
      rows[0]!,
      /^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} Balances Home savings \*+ \d{4} Refused$/,
    );
    assert.match(rows[1]!, / Transactions Salary account \*+ \d{4} Allowed$/);
    assert.match(
      rows[2]!,
      / List of accounts Salary account \*+ \d{4} Everyday credit card \*+ \d{4} Allowed$/,
    );

    const zh = await browser.open(`${stack.consent.url}/dashboard/consents/${consentId}?lang=zh`);
    const zhRows = dataAccessRows(zh.html);
    assert.match(zhRows[0]!, /账户余额 购房储蓄 \*+ \d{4} 已拒绝$/);
    assert.match(zhRows[1]!, /交易记录 工资卡 \*+ \d{4} 已允许$/);
  });

  it('never shows the customer words a TPP put where an account id goes', async () => {
    const before = (await records()).length;
    const planted = await call('/accounts/Call%20400-800-1234%20to%20keep%20your%20card/balances');
    assert.equal(planted.status, 403);
    await eventually('the refused call recorded', async () => (await records()).length > before);

    const browser = new Browser();
    const login = await browser.open(`${stack.consent.url}/dashboard`);
    await browser.submit(login, '/dashboard/login', {
      username: 'zhangwei',
      password: DEMO_PASSWORD,
    });
    for (const [lang, label] of [
      ['en', 'something that is not an account or record id'],
      ['zh', '非账户或记录编号的内容'],
    ] as const) {
      const page = await browser.open(
        `${stack.consent.url}/dashboard/consents/${consentId}?lang=${lang}`,
      );
      assert.doesNotMatch(page.html, /400-800-1234|keep your card/);
      assert.ok(dataAccessRows(page.html)[0]!.includes(label), lang);
    }
  });

  it('records nothing for a call whose token or DPoP proof could not be verified', async () => {
    const before = (await records()).length;
    const response = await fetch(`${stack.gatewaySlot.url}/accounts`, {
      headers: { authorization: `DPoP ${accessToken}x` },
    });
    assert.equal(response.status, 401);
    // The real token without its key: someone who found it cannot write into the record.
    const withoutKey = await fetch(`${stack.gatewaySlot.url}/accounts`, {
      headers: { authorization: `DPoP ${accessToken}` },
    });
    assert.equal(withoutKey.status, 401);
    // Then the TPP's own call: it is recorded, and nothing before it was.
    assert.equal((await call('/accounts/acc-0001-03')).status, 200);
    await eventually('the TPP’s call recorded', async () => (await records()).length > before);
    await sleep(300);
    const after = await records();
    assert.equal(after.length, before + 1);
    assert.deepEqual(after[0]!.resources, ['acc-0001-03']);
  });
});

describe('Gateway shutdown', () => {
  let stack: BundStack;
  before(async function () {
    this.timeout(60_000);
    // An interval no test waits for: only close() can deliver the record.
    stack = await BundStack.start({ dataAccess: { flushIntervalMs: 60_000 } });
  });
  after(async () => stack?.stop());

  it('delivers the records still queued when the gateway closes', async () => {
    const tokens = await stack.tokensFor(stack.tpps.a, [ACCOUNT_INFORMATION], {
      accounts: ['acc-0001-01'],
    });
    const consentId = String(decodeJwt(tokens.access_token).consent_id);
    const response = await stack.call(stack.tpps.a, tokens.access_token, '/accounts/acc-0001-01');
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    assert.equal(stack.gateway.dataAccess.pending, 1, 'queued, not yet delivered');

    await stack.gateway.close();
    const stored = await stack.consentService.dataAccess.latest(consentId, 50);
    assert.deepEqual(
      stored.map((r) => [r.operation, r.resources, r.outcome]),
      [['getAccount', ['acc-0001-01'], 'allowed']],
    );
    assert.equal(stack.gateway.dataAccess.pending, 0);
  });
});

describe('DataAccessRecorder, delivering to the consent service', () => {
  let stack: BundStack;
  let consentService: RequestListener;
  /** Each delivery that reached the consent service: the credential it carried, the answer. */
  let deliveries: { credential?: string; status?: number }[];
  let recorder: DataAccessRecorder;
  let consentId: string;
  let counter = 0;
  const next = (changes: Partial<DataAccessRecord> = {}): DataAccessRecord => ({
    recordId: randomUUID(),
    interactionId: randomUUID(),
    consentId,
    clientId: 'tpp-a',
    operation: 'getAccount',
    resources: [`acc-${++counter}`],
    status: 200,
    outcome: 'allowed',
    at: new Date().toISOString(),
    ...changes,
  });
  /** What the consent service stored, oldest first, as the records it was sent look. */
  const stored = async () =>
    (await stack.consentService.dataAccess.latest(consentId, 100)).map(withoutRowId).reverse();
  const asStored = (records: DataAccessRecord[]) =>
    records.map(({ at, clientId, operation, resources, outcome, status, interactionId }) => ({
      at,
      clientId,
      operation,
      resources,
      outcome,
      status,
      interactionId,
    }));
  const build = (options: Partial<DataAccessRecorderOptions> = {}) =>
    new DataAccessRecorder({
      consentServiceUrl: stack.consent.url,
      credential: stack.credentials.gateway,
      logger: createLogger('gateway', 'silent'),
      registry: new Registry(),
      ...options,
    });
  /** The consent service stores before it answers: waits for the recorder to see the answers. */
  const delivered = () =>
    eventually(
      'every delivery answered',
      async () => recorder.pending === 0 && deliveries.every((d) => d.status !== undefined),
    );
  const dropped = async (reason: string) =>
    (await recorder.dropped.get()).values.find((v) => v.labels.reason === reason)?.value;
  /** The consent service's process is gone: every connection to it drops. */
  const consentServiceDown = () => {
    stack.consent.handler.current = (req) => req.socket.destroy();
  };
  /** The consent service answers again: each delivery once `answering` has resolved. */
  const consentServiceBack = (answering: Promise<void> = Promise.resolve()) => {
    stack.consent.handler.current = (req, res) => {
      if (!req.url?.startsWith('/internal/data-access')) return consentService(req, res);
      const delivery: (typeof deliveries)[number] = {
        credential: req.headers[INTERNAL_HEADERS.credential] as string | undefined,
      };
      deliveries.push(delivery);
      res.on('finish', () => (delivery.status = res.statusCode));
      void answering.then(() => consentService(req, res));
    };
  };

  before(async function () {
    this.timeout(60_000);
    stack = await BundStack.start();
    consentService = stack.consent.handler.current;
  });
  beforeEach(() => {
    consentId = randomUUID();
    deliveries = [];
    consentServiceBack();
  });
  afterEach(async () => recorder?.close());
  after(async () => stack?.stop());

  it('sends a full batch at once, with the gateway’s credential, and the rest after the interval', async () => {
    recorder = build({ batchSize: 3, flushIntervalMs: 2000 });
    const sent = Array.from({ length: 4 }, () => next());
    sent.slice(0, 3).forEach((r) => recorder.record(r));
    await eventually('the full batch stored', async () => (await stored()).length === 3, 1500);
    assert.deepEqual(await stored(), asStored(sent.slice(0, 3)));
    recorder.record(sent[3]!);
    await sleep(300);
    assert.equal((await stored()).length, 3, 'a lone record waits for the interval');
    await eventually('the lone record stored', async () => (await stored()).length === 4, 4000);
    assert.deepEqual(await stored(), asStored(sent));
    await delivered();
    assert.deepEqual(deliveries, [
      { credential: stack.credentials.gateway, status: 204 },
      { credential: stack.credentials.gateway, status: 204 },
    ]);
    assert.equal((await recorder.delivered.get()).values[0]!.value, 4);
  });

  it('lets records that arrive during a delivery wait for their interval, not go one by one', async () => {
    let answer!: () => void;
    consentServiceBack(new Promise((resolve) => (answer = resolve)));
    recorder = build({ batchSize: 3, flushIntervalMs: 1500 });
    const sent = Array.from({ length: 4 }, () => next());
    sent.slice(0, 3).forEach((r) => recorder.record(r));
    await eventually('the full batch sent', async () => deliveries.length === 1, 1000);
    recorder.record(sent[3]!);
    answer();
    await eventually('the full batch answered', async () => deliveries[0]!.status !== undefined);
    await sleep(400);
    assert.equal(deliveries.length, 1, 'the lone record waits for its interval');
    await eventually('the lone record stored', async () => (await stored()).length === 4, 3000);
    assert.deepEqual(await stored(), asStored(sent));
    assert.equal(deliveries.length, 2);
  });

  it('sends the records left behind a full batch after about an interval', async () => {
    recorder = build({ batchSize: 3, flushIntervalMs: 500 });
    const sent = Array.from({ length: 4 }, () => next());
    sent.forEach((r) => recorder.record(r));
    await eventually('all four stored', async () => (await stored()).length === 4, 2000);
    assert.deepEqual(await stored(), asStored(sent));
    await delivered();
    assert.equal(deliveries.length, 2);
  });

  it('keeps records while the consent service is down and delivers them, in order, once it is back', async () => {
    consentServiceDown();
    recorder = build({ flushIntervalMs: 100, maxBackoffMs: 200 });
    const sent = Array.from({ length: 5 }, () => next());
    sent.forEach((r) => recorder.record(r));
    await sleep(500);
    assert.equal(recorder.pending, 5);
    assert.deepEqual(await stored(), []);
    consentServiceBack();
    await eventually('five records stored', async () => (await stored()).length === 5, 2000);
    assert.deepEqual(await stored(), asStored(sent));
    await delivered();
  });

  it('keeps records the consent service refuses for a wrong credential', async () => {
    recorder = build({
      credential: 'not-the-gateway',
      flushIntervalMs: 100,
      maxBackoffMs: 200,
      closeTimeoutMs: 300,
    });
    recorder.record(next());
    await eventually('a second refused delivery', async () => deliveries[1]?.status, 2000);
    assert.deepEqual(
      deliveries.slice(0, 2).map((d) => d.status),
      [401, 401],
    );
    assert.equal(recorder.pending, 1, 'kept for when the credential is put right');
    assert.equal(await dropped('rejected'), 0);
    assert.deepEqual(await stored(), []);
  });

  it('drops the oldest records when the queue is full, and counts them', async () => {
    consentServiceDown();
    recorder = build({ flushIntervalMs: 100, maxBackoffMs: 200, maxQueue: 5 });
    const sent = Array.from({ length: 8 }, () => next());
    sent.forEach((r) => recorder.record(r));
    assert.equal(recorder.pending, 5);
    assert.equal(await dropped('queue_full'), 3);
    consentServiceBack();
    await eventually('five records stored', async () => (await stored()).length === 5, 2000);
    assert.deepEqual(await stored(), asStored(sent.slice(3)));
  });

  it('drops only the record the consent service refuses, and delivers the others at once', async () => {
    // A full batch goes at once; the two records refused with it must not wait an interval.
    recorder = build({ batchSize: 3, flushIntervalMs: 5000 });
    // Longer than the consent service takes for an account id: it names this record.
    const sent = [next(), next({ resources: ['x'.repeat(129)] }), next()];
    sent.forEach((r) => recorder.record(r));
    await eventually('two records stored', async () => (await stored()).length === 2, 2500);
    assert.deepEqual(await stored(), asStored([sent[0]!, sent[2]!]));
    await delivered();
    assert.equal(await dropped('rejected'), 1);
    assert.deepEqual(
      deliveries.map((d) => d.status),
      [400, 204],
    );
  });

  it('goes on delivering after an outage that ended with a refused record', async () => {
    consentServiceDown();
    recorder = build({ flushIntervalMs: 100, maxBackoffMs: 200 });
    recorder.record(next({ resources: ['x'.repeat(129)] }));
    await sleep(300);
    consentServiceBack();
    await eventually('the invalid record dropped', async () => (await dropped('rejected')) === 1);
    const later = next();
    recorder.record(later);
    await eventually('the later record stored', async () => (await stored()).length === 1, 2000);
    assert.deepEqual(await stored(), asStored([later]));
  });

  it('delivers what is queued on close, and counts as lost what it cannot', async () => {
    recorder = build({ flushIntervalMs: 60_000 });
    const sent = Array.from({ length: 2 }, () => next());
    sent.forEach((r) => recorder.record(r));
    await recorder.close();
    assert.deepEqual(await stored(), asStored(sent));

    consentServiceDown();
    recorder = build({ flushIntervalMs: 60_000, closeTimeoutMs: 300 });
    recorder.record(next());
    await recorder.close();
    assert.equal(await dropped('shutdown'), 1);
    assert.equal(recorder.pending, 0);
    assert.equal((await stored()).length, 2);
  });
});
