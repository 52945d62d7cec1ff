import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BundStack } from '../support/bund-stack.js';
import { eventually } from '../support/eventually.js';
import { scrape } from '../support/metrics-text.js';

/** Each probe target with its `kind` label, which alerts and dashboards select on. */
const KINDS: Record<string, string> = {
  'mock-bank': 'backend',
  'data-exchange': 'backend',
  'consent-service-jwks': 'consent-service',
  'consent-service-feed': 'consent-service',
};
const TARGETS = Object.keys(KINDS);

/** A server that accepts connections and drops them: a backend that has died mid-flight. */
const dropEverything: RequestListener = (req) => req.socket.destroy();

describe('Interconnection health: the gateway probes every dependency', () => {
  let stack: BundStack;
  let gateway: string;
  const up = (target: string) =>
    scrape(gateway, 'bund_interconnection_up', { target, kind: KINDS[target]! });
  const ready = async () => {
    const response = await fetch(`${gateway}/health/ready`);
    return {
      status: response.status,
      body: (await response.json()) as { status: string; checks: Record<string, string> },
    };
  };

  before(async function () {
    this.timeout(60_000);
    // A generous probe timeout: on a loaded machine a healthy backend must not count as failed.
    stack = await BundStack.start({ probeIntervalMs: 100, probeTimeoutMs: 2000 });
    gateway = stack.opsSlot.url;
    await eventually('every interconnection up', async () =>
      (await Promise.all(TARGETS.map(up))).every((value) => value === 1),
    );
  });
  after(async () => stack?.stop());

  it('exports each target up, with its probe latency and no failures, and is ready', async () => {
    const failures = (target: string) =>
      scrape(gateway, 'bund_interconnection_probe_failures_total', { target });
    for (const target of TARGETS) {
      assert.equal(await up(target), 1, target);
      // The feed may count failed checks from before its stream first connected; none since.
      if (target !== 'consent-service-feed') assert.equal(await failures(target), 0, target);
    }
    const feedFailures = await failures('consent-service-feed');
    assert.ok(feedFailures !== undefined);
    await sleep(500); // five probe rounds
    assert.equal(await failures('consent-service-feed'), feedFailures, 'feed failures while up');
    for (const target of ['mock-bank', 'data-exchange', 'consent-service-jwks']) {
      const seconds = await scrape(gateway, 'bund_interconnection_probe_duration_seconds', {
        target,
      });
      assert.ok(seconds !== undefined && seconds > 0 && seconds < 0.5, `${target}: ${seconds}`);
    }
    // Before any refusal or failure, every denial reason and backend failure kind is exported
    // at 0, so an alert on rate() fires on the first one.
    for (const reason of ['token', 'dpop', 'consent', 'permission', 'account', 'rate']) {
      assert.equal(await scrape(gateway, 'bund_gateway_denials_total', { reason }), 0, reason);
    }
    for (const backend of ['mock-bank', 'data-exchange']) {
      for (const failure of ['unavailable', 'timeout', 'circuit_open', 'server_error']) {
        const value = await scrape(gateway, 'bund_upstream_failures_total', { backend, failure });
        assert.equal(value, 0, `${backend} ${failure}`);
      }
    }
    const { status, body } = await ready();
    assert.equal(status, 200);
    assert.deepEqual(body, {
      status: 'ready',
      checks: Object.fromEntries(TARGETS.map((target) => [target, 'ok'])),
    });
  });

  it('sees a backend go down, stays ready but degraded naming it, and sees it come back without a restart', async () => {
    const bank = stack.bank.handler.current;
    stack.bank.handler.current = dropEverything;
    try {
      await eventually('mock-bank down', async () => (await up('mock-bank')) === 0);
      // Every replica sees the same backend down: leaving the load balancer would take the
      // APIs of data-exchange down with it.
      const { status, body } = await ready();
      assert.equal(status, 200);
      assert.equal(body.status, 'degraded');
      assert.match(body.checks['mock-bank']!, /^failing: /);
      assert.equal(body.checks['data-exchange'], 'ok');
      assert.equal(body.checks['consent-service-jwks'], 'ok');
      assert.ok(
        (await scrape(gateway, 'bund_interconnection_probe_failures_total', {
          target: 'mock-bank',
        }))! >= 1,
      );
      assert.equal(await up('data-exchange'), 1);
      // The TPP-facing port tells its load balancer the state, never the probe's reason.
      const tppSide = await fetch(`${stack.gatewaySlot.url}/health/ready`);
      assert.equal(tppSide.status, 200);
      assert.deepEqual(await tppSide.json(), { status: 'degraded' });
    } finally {
      stack.bank.handler.current = bank;
    }
    await eventually('mock-bank up again', async () => (await up('mock-bank')) === 1);
    assert.deepEqual([(await ready()).status, (await ready()).body.status], [200, 'ready']);
  });

  it('sees the consent service go down (keys and change feed) and come back', async function () {
    this.timeout(20_000);
    const consent = stack.consent.handler.current;
    stack.consent.handler.current = dropEverything;
    // The feed's open stream lives on its own connection: cut it as a crash would.
    stack.consent.server.closeAllConnections();
    try {
      await eventually('keys and feed down', async () => {
        const [jwks, feed] = await Promise.all([
          up('consent-service-jwks'),
          up('consent-service-feed'),
        ]);
        return jwks === 0 && feed === 0;
      });
      // No token and no consent can be checked: no call could work.
      const { status, body } = await ready();
      assert.equal(status, 503);
      assert.equal(body.status, 'not_ready');
      assert.match(body.checks['consent-service-jwks']!, /^failing: /);
      assert.equal(body.checks['consent-service-feed'], 'failing: change feed disconnected');
    } finally {
      stack.consent.handler.current = consent;
    }
    // The feed reconnects with back-off (up to 5 s between attempts).
    await eventually(
      'keys and feed up again',
      async () =>
        (await up('consent-service-jwks')) === 1 && (await up('consent-service-feed')) === 1,
      10_000,
    );
    assert.equal((await ready()).status, 200);
  });

  it('stops probing when the gateway closes', async () => {
    const before = stack.gateway.probes.get('mock-bank')!.checkedAt;
    await stack.gateway.probes.close();
    await sleep(300);
    assert.equal(stack.gateway.probes.get('mock-bank')!.checkedAt, before);
  });
});
