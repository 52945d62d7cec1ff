import assert from 'node:assert/strict';
import { ACCOUNT_INFORMATION, inDays } from '../support/authorize.js';
import { BundStack } from '../support/bund-stack.js';

describe('GET /accounts through the gateway', () => {
  let stack: BundStack;
  before(async function () {
    this.timeout(60_000);
    stack = await BundStack.start();
  });
  after(async () => stack?.stop());

  it('answers only the accounts the customer consented to', async () => {
    const tokens = await stack.tokensFor(stack.tpps.a, [ACCOUNT_INFORMATION], {
      accounts: ['acc-0001-01', 'acc-0001-03'],
    });
    const response = await stack.call(stack.tpps.a, tokens.access_token, '/accounts');
    const body = (await response.json()) as { data: { id: string }[] };
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.deepEqual(body.data.map((a) => a.id).sort(), ['acc-0001-01', 'acc-0001-03']);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.ok(response.headers.get('x-fapi-interaction-id'));
    assert.equal(response.headers.get('x-powered-by'), null);
  });

  it('removes transaction details under ReadTransactionsBasic', async () => {
    const basic = {
      ...ACCOUNT_INFORMATION,
      permissions: [
        'ReadAccountsBasic',
        'ReadTransactionsBasic',
        'ReadTransactionsCredits',
        'ReadTransactionsDebits',
      ],
      expirationDateTime: inDays(30),
    };
    const tokens = await stack.tokensFor(stack.tpps.a, [basic], { accounts: ['acc-0001-01'] });
    const response = await stack.call(
      stack.tpps.a,
      tokens.access_token,
      '/accounts/acc-0001-01/transactions?limit=5',
    );
    const body = (await response.json()) as { data: Record<string, unknown>[] };
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.data.length, 5);
    for (const transaction of body.data) {
      for (const detail of ['description', 'merchant', 'counterparty', 'balanceAfter'])
        assert.ok(!(detail in transaction), `${detail} removed`);
    }
  });
});
