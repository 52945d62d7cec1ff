import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import type { GatewayStatus, InterconnectionStatus } from '@bund/gateway/status/status-page';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { BundStack } from '../support/bund-stack.js';
import { eventually } from '../support/eventually.js';

const TARGETS = ['mock-bank', 'data-exchange', 'consent-service-jwks', 'consent-service-feed'];

/** The table row of one interconnection, as an operator reads it. */
function rowOf(html: string, target: string): string {
  const row = html.match(
    new RegExp(`<tr class="(?:up|down)"><th scope="row">${target}</th>.*?</tr>`),
  );
  assert.ok(row, `a row for ${target}`);
  return row[0];
}

describe('GET /status: the operators’ view of every interconnection', () => {
  let stack: BundStack;
  let gateway: string;
  const status = async () =>
    (await (await fetch(`${gateway}/status.json`)).json()) as GatewayStatus;
  const entry = (all: GatewayStatus, target: string) =>
    all.interconnections.find((i) => i.target === target) as InterconnectionStatus;

  before(async function () {
    this.timeout(60_000);
    stack = await BundStack.start({ probeIntervalMs: 100, probeTimeoutMs: 500 });
    gateway = stack.opsSlot.url;
    await eventually('every interconnection up', async () => (await status()).allUp);
  });
  after(async () => stack?.stop());

  it('is served only on the operator listener: the TPP-facing port has no metrics or status', async () => {
    for (const path of ['/metrics', '/status', '/status.json']) {
      const tppSide = await fetch(`${stack.gatewaySlot.url}${path}`);
      assert.equal(tppSide.status, 404, `TPP port ${path}`);
      assert.doesNotMatch(await tppSide.text(), /bund_gateway_requests_total|mock-bank/);
      assert.equal((await fetch(`${gateway}${path}`)).status, 200, `operator port ${path}`);
    }
    // Both answer health checks, for their own load balancers.
    assert.equal((await fetch(`${stack.gatewaySlot.url}/health/live`)).status, 200);
    assert.equal((await fetch(`${gateway}/health/live`)).status, 200);
  });

  it('lists every interconnection with its state, as a page with no script and no inline style', async () => {
    const response = await fetch(`${gateway}/status`);
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/html/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(
      response.headers.get('content-security-policy')!,
      /default-src 'none'; style-src 'self'/,
    );
    assert.match(html, /All 4 interconnections up/);
    for (const target of TARGETS) assert.match(rowOf(html, target), /class="badge up">● UP</);
    assert.match(rowOf(html, 'consent-service-feed'), /feed connected/);
    assert.match(rowOf(html, 'mock-bank'), /<td class="circuit closed">closed<\/td>/);
    assert.doesNotMatch(html, /<script|style=|<style/i);
    assert.match(html, /<link rel="stylesheet" href="\/status.css" ?\/?>/);

    const css = await fetch(`${gateway}/status.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type')!, /^text\/css/);
    assert.match(await css.text(), /\.badge\.down/);
  });

  it('shows calls per second, error rate and latency of each backend after some calls', async () => {
    const before = await status();
    assert.equal(entry(before, 'mock-bank').traffic!.calls, 0);

    const tokens = await stack.tokensFor(stack.tpps.a, [ACCOUNT_INFORMATION]);
    for (let i = 0; i < 4; i += 1) {
      const response = await stack.call(stack.tpps.a, tokens.access_token, '/accounts');
      assert.equal(response.status, 200);
    }
    // Refused before the proxy: reaches no backend, so not in the backend's figures.
    const refused = await stack.call(stack.tpps.a, tokens.access_token, '/accounts/acc-0002-01');
    assert.equal(refused.status, 403);

    const after = await status();
    const bank = entry(after, 'mock-bank');
    assert.equal(bank.up, true);
    assert.equal(bank.circuit, 'closed');
    assert.ok(bank.probeLatencyMs! > 0);
    assert.equal(bank.traffic!.calls, 4);
    assert.ok(bank.traffic!.perSecond > 0);
    assert.equal(bank.traffic!.errorRate, 0);
    assert.ok(bank.traffic!.p50Ms! > 0 && bank.traffic!.p99Ms! >= bank.traffic!.p50Ms!);
    assert.equal(entry(after, 'data-exchange').traffic!.calls, 0);
    assert.equal(entry(after, 'consent-service-feed').feed, 'connected');
    assert.equal(entry(after, 'consent-service-jwks').traffic, undefined);

    const html = await (await fetch(`${gateway}/status`)).text();
    const cells = [...rowOf(html, 'mock-bank').matchAll(/<td class="num[^"]*">([^<]*)<\/td>/g)].map(
      (m) => m[1],
    );
    // Probe latency, failed probes in a row, calls/s, errors, p50, p99.
    assert.equal(cells.length, 6);
    assert.match(cells[0]!, /^[\d.]+ ms$/);
    assert.equal(cells[1], '0');
    assert.ok(Number(cells[2]) > 0, `calls/s ${cells[2]}`);
    assert.equal(cells[3], '0.0 %');
    assert.match(cells[4]!, /^[\d.]+ ms$/);
    assert.match(cells[5]!, /^[\d.]+ ms$/);
  });

  it('shows a backend that is down, why, and its failed calls as errors', async () => {
    // The customer's consent screen lists accounts from the bank: consent while it is up.
    const tokens = await stack.tokensFor(stack.tpps.b, [ACCOUNT_INFORMATION]);
    const bank = stack.bank.handler.current;
    stack.bank.handler.current = ((req) => req.socket.destroy()) as RequestListener;
    try {
      await eventually('mock-bank down', async () => !entry(await status(), 'mock-bank').up);
      const failed = await stack.call(stack.tpps.b, tokens.access_token, '/accounts');
      assert.equal(failed.status, 503);

      const now = await status();
      assert.equal(now.allUp, false);
      const down = entry(now, 'mock-bank');
      assert.ok(down.error, 'the reason it is down');
      assert.ok(down.consecutiveFailures >= 1);
      assert.ok(down.traffic!.errorRate > 0);

      const html = await (await fetch(`${gateway}/status`)).text();
      assert.match(html, /1 of 4 interconnections down: mock-bank/);
      assert.match(rowOf(html, 'mock-bank'), /class="badge down">✕ DOWN</);
      assert.match(rowOf(html, 'data-exchange'), /class="badge up">● UP</);
    } finally {
      stack.bank.handler.current = bank;
    }
    await eventually('mock-bank up again', async () => entry(await status(), 'mock-bank').up);
  });
});
