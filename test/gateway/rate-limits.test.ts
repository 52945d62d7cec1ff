import assert from 'node:assert/strict';
import { TokenBuckets } from '@bund/gateway/limits/token-buckets';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { BundStack } from '../support/bund-stack.js';
import { metricValue } from '../support/metrics-text.js';

describe('Rate limits per TPP client', () => {
  describe('a TPP over its limit', () => {
    let stack: BundStack;
    before(async function () {
      this.timeout(60_000);
      // One token every 5 s: nothing refills while the test makes its calls.
      stack = await BundStack.start({ rateLimit: { perSecond: 0.2, burst: 3 } });
    });
    after(async () => stack?.stop());

    it('is refused with 429 rate_limited and Retry-After after its burst; another TPP is not', async () => {
      const [a, b] = await Promise.all([
        stack.tokensFor(stack.tpps.a, [ACCOUNT_INFORMATION]),
        stack.tokensFor(stack.tpps.b, [ACCOUNT_INFORMATION]),
      ]);
      for (let i = 0; i < 3; i += 1) {
        const response = await stack.call(stack.tpps.a, a.access_token, '/accounts');
        assert.equal(response.status, 200, `call ${i + 1} of the burst`);
      }
      const refused = await stack.call(stack.tpps.a, a.access_token, '/accounts');
      const problem = (await refused.json()) as Record<string, unknown>;
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(problem.code, 'rate_limited');
      assert.equal(problem.interactionId, refused.headers.get('x-fapi-interaction-id'));
      // The next token is 5 s away (less the time the burst took).
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 5, `Retry-After: ${retryAfter}`);

      for (let i = 0; i < 3; i += 1) {
        const response = await stack.call(stack.tpps.b, b.access_token, '/accounts');
        assert.equal(response.status, 200, `tpp-b call ${i + 1}`);
      }

      const metrics = await (await fetch(`${stack.opsSlot.url}/metrics`)).text();
      assert.equal(metricValue(metrics, 'bund_gateway_denials_total', { reason: 'rate' }), 1);
      assert.equal(
        metricValue(metrics, 'bund_gateway_requests_total', {
          operation: 'listAccounts',
          status: '429',
          client: 'tpp-a',
        }),
        1,
      );
      // Before any server error, its series exist at 0: rate() will count the first one.
      for (const status of ['500', '502', '503', '504']) {
        const labels = { operation: 'listAccounts', status, client: 'tpp-b' };
        assert.equal(metricValue(metrics, 'bund_gateway_requests_total', labels), 0, status);
      }
    });
  });

  describe('the token bucket', () => {
    it('refills at its rate up to its burst, and tells how long until the next token', () => {
      let now = 0;
      const buckets = new TokenBuckets({ perSecond: 2, burst: 2 }, () => now);
      assert.equal(buckets.take('tpp-a'), 0);
      assert.equal(buckets.take('tpp-a'), 0);
      assert.equal(buckets.take('tpp-a'), 500);
      now = 250;
      assert.equal(buckets.take('tpp-a'), 250);
      now = 500;
      assert.equal(buckets.take('tpp-a'), 0);
      now = 60_000;
      // A long pause refills only up to the burst.
      assert.equal(buckets.take('tpp-a'), 0);
      assert.equal(buckets.take('tpp-a'), 0);
      assert.ok(buckets.take('tpp-a') > 0);
    });

    it('forgets clients idle long enough to be full again', () => {
      let now = 0;
      const buckets = new TokenBuckets({ perSecond: 10, burst: 10 }, () => now);
      for (let i = 0; i < 100; i += 1) buckets.take(`tpp-${i}`);
      assert.equal(buckets.size, 100);
      now = 1000;
      buckets.take('tpp-new');
      assert.equal(buckets.size, 1);
    });
  });
});
