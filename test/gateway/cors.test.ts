import assert from 'node:assert/strict';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { BundStack } from '../support/bund-stack.js';
import {
  assertOk,
  assertProblem,
  backendsOf,
  grant,
  keyedTpp,
  send,
  sharedStack,
} from './harness.js';
import type { Grant } from './harness.js';

const BUDGET_APP = 'https://budget.tidewater.example';
const PREFLIGHT = {
  method: 'OPTIONS',
  headers: {
    'access-control-request-method': 'GET',
    'access-control-request-headers': 'authorization,dpop,x-fapi-interaction-id',
  },
};

describe('gateway CORS: browser pages of configured origins only', () => {
  let stack: BundStack;
  let zhangwei: Grant;

  before(async function () {
    this.timeout(60_000);
    stack = await BundStack.start({ corsOrigins: [BUDGET_APP, 'http://localhost:5173'] });
    zhangwei = await grant(stack, await keyedTpp(stack), [ACCOUNT_INFORMATION], {
      accounts: ['acc-0001-01'],
    });
  });
  after(() => stack?.stop());

  it('answers a configured page’s preflight with what it may send, without calling a backend', async () => {
    const backends = backendsOf(stack);
    const before = backends.bank.count;
    const response = await send(stack, '/accounts/acc-0001-01', {
      ...PREFLIGHT,
      headers: { ...PREFLIGHT.headers, origin: BUDGET_APP },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers['access-control-allow-origin'], BUDGET_APP);
    assert.match(String(response.headers['access-control-allow-methods']), /\bGET\b/);
    const allowed = String(response.headers['access-control-allow-headers']).split(',');
    for (const name of ['authorization', 'dpop', 'x-fapi-interaction-id'])
      assert.ok(allowed.includes(name), `${name} is allowed`);
    assert.equal(response.headers['access-control-max-age'], '600');
    assert.match(String(response.headers.vary), /Origin/);
    // Tokens travel in headers: a page never gets to send the customer's cookies along.
    assert.equal(response.headers['access-control-allow-credentials'], undefined);
    assert.equal(backends.bank.count, before);
  });

  it('lets a configured page read its data, and why a call was refused', async () => {
    const ok = await send(stack, '/accounts/acc-0001-01', {
      as: zhangwei,
      headers: { origin: 'http://localhost:5173' },
    });
    assert.equal(assertOk<{ id: string }>(ok).id, 'acc-0001-01');
    assert.equal(ok.headers['access-control-allow-origin'], 'http://localhost:5173');
    assert.match(String(ok.headers['access-control-expose-headers']), /x-fapi-interaction-id/);

    const refused = await send(stack, '/accounts/acc-0001-01', { headers: { origin: BUDGET_APP } });
    assertProblem(refused, 401, 'invalid_token');
    assert.equal(refused.headers['access-control-allow-origin'], BUDGET_APP);
    assert.match(String(refused.headers['access-control-expose-headers']), /www-authenticate/);
  });

  it('sends no CORS header to any other origin, even one that differs only in scheme or port', async () => {
    for (const origin of [
      'https://evil.example',
      'http://budget.tidewater.example',
      'https://budget.tidewater.example:8443',
      'null',
    ]) {
      const preflight = await send(stack, '/accounts/acc-0001-01', {
        ...PREFLIGHT,
        headers: { ...PREFLIGHT.headers, origin },
      });
      assertProblem(preflight, 405, 'method_not_allowed');
      assert.equal(preflight.headers['access-control-allow-origin'], undefined, origin);
      const call = await send(stack, '/accounts/acc-0001-01', {
        as: zhangwei,
        headers: { origin },
      });
      assert.equal(call.status, 200);
      assert.equal(call.headers['access-control-allow-origin'], undefined, origin);
    }
  });

  it('sends no CORS header at all when no origin is configured (the default)', async () => {
    const shared = await sharedStack();
    const preflight = await send(shared, '/accounts/acc-0001-01', {
      ...PREFLIGHT,
      headers: { ...PREFLIGHT.headers, origin: BUDGET_APP },
    });
    assertProblem(preflight, 405, 'method_not_allowed');
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });
});
