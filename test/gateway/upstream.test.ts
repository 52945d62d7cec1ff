import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import { ACCOUNT_INFORMATION, PERSONAL_CREDIT } from '../support/authorize.js';
import { BundStack } from '../support/bund-stack.js';
import { assertOk, assertProblem, backendsOf, grant, keyedTpp, send, sleep } from './harness.js';
import type { RawResponse } from './harness.js';
import type { Backends, Grant, KeyedTpp } from './harness.js';

const RESPONSE_TIMEOUT_MS = 300;
const CIRCUIT_RESET_MS = 1500;
// Long enough for the slowest test here (the circuit one, ~2 s) with room on a loaded machine.
const TOKEN_TTL_SECONDS = 8;

describe('The gateway and its backends, with short timers', () => {
  let stack: BundStack;
  let backends: Backends;
  let tpp: KeyedTpp;
  let expiring: Grant;
  let firstUse: RawResponse;

  before(async function () {
    this.timeout(60_000);
    stack = await BundStack.start(
      { responseTimeoutMs: RESPONSE_TIMEOUT_MS, circuitResetMs: CIRCUIT_RESET_MS },
      { accessTokenTtlSeconds: TOKEN_TTL_SECONDS },
    );
    backends = backendsOf(stack);
    tpp = await keyedTpp(stack);
    // Taken first and used once now, so its expiry has mostly passed when its test runs last.
    expiring = await fresh();
    firstUse = await send(stack, '/accounts/acc-0001-01', { as: expiring });
  });
  after(async () => stack?.stop());
  afterEach(() => {
    backends.bank.serve();
    backends.exchange.serve();
  });

  /** Tokens live a few seconds here: each test takes its own. */
  const fresh = () => grant(stack, tpp, [ACCOUNT_INFORMATION], { accounts: ['acc-0001-01'] });

  /** Times one call. */
  async function timed(call: Promise<Awaited<ReturnType<typeof send>>>) {
    const started = performance.now();
    const response = await call;
    return { response, ms: performance.now() - started };
  }

  describe('when a backend fails', () => {
    let zhangwei: Grant;
    beforeEach(async () => {
      zhangwei = await fresh();
    });

    it('answers 503 upstream_unavailable while the bank drops connections, serves the other backend, and recovers without a restart', async () => {
      const personal = await grant(stack, tpp, [PERSONAL_CREDIT]);
      const drop: RequestListener = (req) => req.socket.destroy();
      backends.bank.serve(drop);
      const before = backends.bank.count;
      const { response, ms } = await timed(send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
      assertProblem(response, 503, 'upstream_unavailable');
      assert.equal(response.headers['retry-after'], '5');
      assert.ok(ms < RESPONSE_TIMEOUT_MS * 3, `answered in ${Math.round(ms)} ms`);
      assert.ok(backends.bank.count > before, 'the bank was tried');

      assertOk(await send(stack, '/individuals/me/credit-summary', { as: personal }));
      const live = await send(stack, '/health/live');
      assert.equal(live.status, 200);

      backends.bank.serve();
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
    });

    it('opens the bank’s circuit after repeated failures, answers at once without calling it, and closes it again once a trial call succeeds', async () => {
      const circuit = async () => {
        const status = (await (await fetch(`${stack.opsSlot.url}/status.json`)).json()) as {
          interconnections: { target: string; circuit?: string }[];
        };
        return status.interconnections.find((i) => i.target === 'mock-bank')!.circuit;
      };
      const personal = await grant(stack, tpp, [PERSONAL_CREDIT]);
      backends.bank.serve((req) => req.socket.destroy());
      // The breaker opens once at least 10 calls in its window failed, half of them or more.
      for (let i = 0; i < 10; i += 1)
        assertProblem(
          await send(stack, '/accounts/acc-0001-01', { as: zhangwei }),
          503,
          'upstream_unavailable',
        );
      assert.equal(await circuit(), 'open');

      // Open: answered at once, the bank left alone even though it is back, the TPP told
      // when to try again; the other backend's circuit is its own.
      backends.bank.serve();
      const before = backends.bank.count;
      const { response, ms } = await timed(send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
      assertProblem(response, 503, 'upstream_unavailable');
      assert.match(String(response.body.detail), /paused/);
      assert.equal(response.headers['retry-after'], String(Math.ceil(CIRCUIT_RESET_MS / 1000)));
      assert.ok(ms < RESPONSE_TIMEOUT_MS, `answered in ${Math.round(ms)} ms`);
      assert.equal(backends.bank.count, before, 'no call reached the bank');
      assertOk(await send(stack, '/individuals/me/credit-summary', { as: personal }));

      // After the reset time one call may try; it succeeds, so the circuit closes.
      await sleep(CIRCUIT_RESET_MS + 100);
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
      assert.equal(backends.bank.count, before + 1);
      assert.equal(await circuit(), 'closed');

      // Counting starts afresh: the failures that opened it do not reopen it at the next one.
      backends.bank.serve((req) => req.socket.destroy());
      const once = await send(stack, '/accounts/acc-0001-01', { as: zhangwei });
      assertProblem(once, 503, 'upstream_unavailable');
      assert.doesNotMatch(String(once.body.detail), /paused/);
      assert.equal(await circuit(), 'closed');
      backends.bank.serve();
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
    });

    it('answers 504 upstream_timeout when the bank is slower than the response timeout', async () => {
      const slow: RequestListener = (req, res) => {
        setTimeout(() => backends.bank.original(req, res), RESPONSE_TIMEOUT_MS * 4).unref();
      };
      backends.bank.serve(slow);
      const { response, ms } = await timed(send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
      assertProblem(response, 504, 'upstream_timeout');
      assert.ok(ms >= RESPONSE_TIMEOUT_MS - 20 && ms < RESPONSE_TIMEOUT_MS * 3, `${ms} ms`);
      backends.bank.serve();
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
    });

    it('answers 503 while the bank is not listening at all, and recovers when it listens again', async () => {
      const { server } = stack.bank;
      const { port } = server.address() as AddressInfo;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      try {
        const { response, ms } = await timed(
          send(stack, '/accounts/acc-0001-01', { as: zhangwei }),
        );
        assertProblem(response, 503, 'upstream_unavailable');
        assert.ok(ms < RESPONSE_TIMEOUT_MS * 3, `answered in ${Math.round(ms)} ms`);
      } finally {
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
    });

    it('answers 502 upstream_error, not a 401 that blames the TPP’s token, when the bank refuses the gateway’s credential', async () => {
      // A rotated or mistyped internal credential: the real bank answers its own 401.
      const rotated: RequestListener = (req, res) => {
        req.headers[INTERNAL_HEADERS.credential] = 'rotated-away';
        backends.bank.original(req, res);
      };
      backends.bank.serve(rotated);
      const response = await send(stack, '/accounts/acc-0001-01', { as: zhangwei });
      assertProblem(response, 502, 'upstream_error');
      assert.equal(response.headers['www-authenticate'], undefined);
      backends.bank.serve();
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
    });

    const broken: [string, RequestListener][] = [
      [
        'a body the spec does not allow',
        (_req, res) =>
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ data: { id: 'acc-0001-01', secret: 'internal' }, links: {} })),
      ],
      [
        'a body that is not JSON',
        (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>oops</h1>'),
      ],
      [
        'a 500',
        (_req, res) =>
          res
            .writeHead(500, { 'content-type': 'application/problem+json' })
            .end('{"code":"internal_error","detail":"stack trace here"}'),
      ],
      [
        'a body without end (past the 8 MiB the gateway reads)',
        (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          const chunk = Buffer.alloc(64 * 1024, ' ');
          const pump = () => {
            while (!res.destroyed && res.write(chunk));
          };
          res.on('drain', pump);
          pump();
        },
      ],
      [
        'a length of 100 MB',
        (_req, res) =>
          res
            .writeHead(200, { 'content-type': 'application/json', 'content-length': 100_000_000 })
            .write('{"data":'),
      ],
      [
        'a status the spec does not document',
        (_req, res) => res.writeHead(418, { 'content-type': 'application/json' }).end('{}'),
      ],
    ];
    for (const [what, handler] of broken) {
      it(`answers 502 upstream_error when the bank answers ${what}, and never passes it on`, async () => {
        backends.bank.serve(handler);
        const response = await send(stack, '/accounts/acc-0001-01', { as: zhangwei });
        assertProblem(response, 502, 'upstream_error');
        assert.doesNotMatch(response.text, /internal|oops|stack trace/);
        backends.bank.serve();
        assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
      });
    }
  });
  describe('access token lifetime', () => {
    it('refuses an expired access token with 401 invalid_token', async () => {
      assertOk(firstUse);
      const { exp } = decodeJwt(expiring.accessToken);
      await sleep(exp! * 1000 - Date.now() + 100);
      const response = await backends.untouched(() =>
        send(stack, '/accounts/acc-0001-01', { as: expiring }),
      );
      assertProblem(response, 401, 'invalid_token', {
        wwwAuthenticate:
          /^DPoP error="invalid_token", error_description="The access token has expired\."/,
      });
    });
  });
});
