import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Gateway } from '@bund/gateway/build';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { BundStack } from '../support/bund-stack.js';
import { dpopProof } from '../support/dpop-proof.js';
import { eventually } from '../support/eventually.js';
import { metricValue } from '../support/metrics-text.js';
import { reachableRedis } from '../support/redis.js';
import {
  assertOk,
  assertProblem,
  backendsOf,
  grant,
  keyedTpp,
  send,
  sharedStack,
} from './harness.js';
import type { Backends, Grant } from './harness.js';

/**
 * The way to Redis, on a port of its own, that the test can cut and restore: Redis itself
 * stays up for everything else using it.
 */
class RedisLink {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly redis: URL) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.redis.port || 6379), this.redis.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Redis unreachable: open connections drop, new ones are refused. */
  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

/** The replay cache's up gauge on a replica's operator listener (kind `cache`, not backend). */
async function cacheUp(replica: Gateway): Promise<number | undefined> {
  const metrics = await request(replica.opsApp).get('/metrics');
  return metricValue(metrics.text, 'bund_interconnection_up', {
    target: 'dpop-replay-cache',
    kind: 'cache',
  });
}

describe('Gateway replicas sharing the DPoP replay cache in Redis', () => {
  let redisUrl: string | undefined;
  let stack: BundStack;
  let backends: Backends;
  let zhangwei: Grant;
  let replicaB: Gateway;
  const url = (path: string) => `${stack.gatewaySlot.url}${path}`;
  /** Where the load balancer in front of the replicas sends the next calls. */
  const routeTo = (replica: Gateway) => (stack.gatewaySlot.handler.current = replica.app);

  before(async function () {
    this.timeout(60_000);
    redisUrl = await reachableRedis();
    if (!redisUrl) return this.skip();
    stack = await BundStack.start({ replayCacheUrl: redisUrl });
    backends = backendsOf(stack);
    zhangwei = await grant(stack, await keyedTpp(stack), [ACCOUNT_INFORMATION], {
      accounts: ['acc-0001-01'],
    });
    replicaB = await stack.replica();
  });
  let link: RedisLink | undefined;
  afterEach(async () => {
    if (stack) routeTo(stack.gateway);
    await link?.close();
    link = undefined;
  });
  after(async () => stack?.stop());

  it('refuses on one replica a proof already used on another', async () => {
    const proof = await dpopProof(zhangwei.tpp.keys, 'GET', url('/accounts'), zhangwei.accessToken);
    routeTo(stack.gateway);
    assertOk(await send(stack, '/accounts', { as: zhangwei, proof }));

    routeTo(replicaB);
    const replay = await backends.untouched(() =>
      send(stack, '/accounts', { as: zhangwei, proof }),
    );
    assertProblem(replay, 401, 'invalid_dpop_proof', { detail: /already used/ });
    assertOk(await send(stack, '/accounts', { as: zhangwei }));
  });

  it('accepts a proof whose iat has a fraction of a second, once', async () => {
    // RFC 7519 NumericDate may be fractional; Redis's PX takes whole milliseconds.
    const proof = await dpopProof(
      zhangwei.tpp.keys,
      'GET',
      url('/accounts'),
      zhangwei.accessToken,
      {
        iat: Math.floor(Date.now() / 1000) + 0.2345,
      },
    );
    assertOk(await send(stack, '/accounts', { as: zhangwei, proof }));
    const replay = await send(stack, '/accounts', { as: zhangwei, proof });
    assertProblem(replay, 401, 'invalid_dpop_proof', { detail: /already used/ });
  });

  it('refuses every call with 503 while Redis cannot be reached, and serves again once it is back', async function () {
    this.timeout(20_000);
    link = new RedisLink(new URL(redisUrl!));
    await link.open();
    const replica = await stack.replica({ replayCacheUrl: link.url, probeIntervalMs: 200 });
    routeTo(replica);
    await eventually('the replica connected to Redis', async () => {
      return (await send(stack, '/accounts', { as: zhangwei })).status === 200;
    });

    await link.close();
    const refused = await backends.untouched(() => send(stack, '/accounts', { as: zhangwei }));
    assertProblem(refused, 503, 'service_unavailable', { detail: /replay/ });
    assert.equal(refused.headers['retry-after'], '1');
    const ready = await eventually('readiness to drop', async () => {
      const response = await request(replica.opsApp).get('/health/ready');
      return response.status === 503 ? response : undefined;
    });
    assert.ok(ready);
    assert.equal(ready.body.status, 'not_ready');
    assert.match(ready.body.checks['dpop-replay-cache'], /^failing/);
    assert.equal(await cacheUp(replica), 0, 'operators see the cache down, as a cache');

    await link.open();
    await eventually(
      'calls served again',
      async () => (await send(stack, '/accounts', { as: zhangwei })).status === 200,
      5000,
    );
    await eventually(
      'readiness back',
      async () => (await request(replica.opsApp).get('/health/ready')).status === 200,
    );
    assert.equal(await cacheUp(replica), 1);
  });
});

describe("One gateway's DPoP replay cache in its own memory", () => {
  let stack: BundStack;
  let backends: Backends;
  let zhangwei: Grant;

  before(async function () {
    this.timeout(60_000);
    stack = await sharedStack();
    backends = backendsOf(stack);
    zhangwei = await grant(stack, await keyedTpp(stack), [ACCOUNT_INFORMATION], {
      accounts: ['acc-0001-01'],
    });
  });
  after(() => {
    if (stack) stack.gatewaySlot.handler.current = stack.gateway.app;
  });

  it('refuses calls with 503 once full of live proofs, and never forgets one to make room', async () => {
    const replica = await stack.replica({ replayCacheMaxEntries: 2 });
    stack.gatewaySlot.handler.current = replica.app;
    const first = await dpopProof(
      zhangwei.tpp.keys,
      'GET',
      `${stack.gatewaySlot.url}/accounts`,
      zhangwei.accessToken,
    );
    assertOk(await send(stack, '/accounts', { as: zhangwei, proof: first }));
    assertOk(await send(stack, '/accounts', { as: zhangwei }));

    const refused = await backends.untouched(() => send(stack, '/accounts', { as: zhangwei }));
    assertProblem(refused, 503, 'service_unavailable', { detail: /replay/ });
    assert.equal(refused.headers['retry-after'], '1');
    // The first proof is still within its window: still known, still refused as a replay.
    const replay = await backends.untouched(() =>
      send(stack, '/accounts', { as: zhangwei, proof: first }),
    );
    assertProblem(replay, 401, 'invalid_dpop_proof', { detail: /already used/ });

    // What operators see coming (BundDpopReplayCacheFilling).
    const metrics = (await request(replica.opsApp).get('/metrics')).text;
    assert.equal(metricValue(metrics, 'bund_gateway_dpop_replay_cache_entries'), 2);
    assert.equal(metricValue(metrics, 'bund_gateway_dpop_replay_cache_capacity'), 2);
  });
});
