import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { ACCOUNT_INFORMATION, PERSONAL_CREDIT, inDays } from '../support/authorize.js';
import { Browser } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import type { BundStack } from '../support/bund-stack.js';
import {
  backendsOf,
  assertOk,
  assertProblem,
  grant,
  keyedTpp,
  send,
  sharedStack,
  sleep,
  stableProblem,
} from './harness.js';
import type { Backends, Grant, KeyedTpp, RawResponse } from './harness.js';

const MINGYUAN = '91310115MA1K4B7DXG';
const HEFENG = '91440305MA5F3C2NX9';

/** The booking date (China time) an instant falls on, as the bank books it. */
const chinaDate = (instant: string) =>
  new Date(Date.parse(instant) + 8 * 3600_000).toISOString().slice(0, 10);

interface Transaction {
  id: string;
  bookingDateTime: string;
  creditDebitIndicator: 'Credit' | 'Debit';
}

describe('The gateway holds every call to its consent', () => {
  let stack: BundStack;
  let backends: Backends;
  let tpp: KeyedTpp;
  /** zhangwei's consent to tpp-a: accounts acc-0001-01 and acc-0001-03, every AIS permission. */
  let zhangwei: Grant;
  let shortLived: Grant;
  let beforeExpiry: RawResponse;

  before(async function () {
    this.timeout(60_000);
    stack = await sharedStack();
    backends = backendsOf(stack);
    tpp = await keyedTpp(stack);
    zhangwei = await grant(stack, tpp, [ACCOUNT_INFORMATION], {
      accounts: ['acc-0001-01', 'acc-0001-03'],
    });
    // Granted first and used once now, so its expiry has passed when its test runs.
    shortLived = await grant(
      stack,
      tpp,
      [{ ...ACCOUNT_INFORMATION, expirationDateTime: new Date(Date.now() + 3000).toISOString() }],
      { accounts: ['acc-0001-01'] },
    );
    beforeExpiry = await send(stack, '/accounts/acc-0001-01', { as: shortLived });
  });

  describe('GET /accounts', () => {
    it('lists the consented accounts only, and tells the bank which they are', async () => {
      const response = await send(stack, '/accounts', { as: zhangwei });
      const data = assertOk<{ id: string; identification?: string }[]>(response);
      assert.deepEqual(
        data.map((a) => a.id),
        ['acc-0001-01', 'acc-0001-03'],
      );
      // ReadAccountsDetail was not granted: the full account number is removed.
      assert.ok(data.every((a) => !('identification' in a)));
      assert.equal(backends.bank.calls.at(-1)!.url, '/accounts');
    });
  });

  describe('GET /accounts/{accountId}/balances', () => {
    it('answers the balances of a consented account under ReadBalances', async () => {
      const data = assertOk<{ accountId: string; balances: unknown[] }>(
        await send(stack, '/accounts/acc-0001-03/balances', { as: zhangwei }),
      );
      assert.equal(data.accountId, 'acc-0001-03');
      assert.equal(data.balances.length, 2);
    });

    it('refuses a consent without ReadBalances with 403 permission_missing', async () => {
      const accountsOnly = await grant(
        stack,
        tpp,
        [{ ...ACCOUNT_INFORMATION, permissions: ['ReadAccountsBasic'] }],
        { accounts: ['acc-0001-01'] },
      );
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: accountsOnly }));
      const response = await backends.untouched(() =>
        send(stack, '/accounts/acc-0001-01/balances', { as: accountsOnly }),
      );
      assertProblem(response, 403, 'permission_missing', { detail: /ReadBalances/ });
      const transactions = await backends.untouched(() =>
        send(stack, '/accounts/acc-0001-01/transactions', { as: accountsOnly }),
      );
      assertProblem(transactions, 403, 'permission_missing', { detail: /ReadTransactionsBasic/ });
    });
  });

  describe('GET /accounts/{accountId}', () => {
    it('answers another customer’s account and the customer’s own unconsented one alike: 403 account_not_consented', async () => {
      const others = await backends.untouched(() =>
        send(stack, '/accounts/acc-0002-01', { as: zhangwei }),
      );
      const unconsented = await backends.untouched(() =>
        send(stack, '/accounts/acc-0001-02', { as: zhangwei }),
      );
      const nonexistent = await backends.untouched(() =>
        send(stack, '/accounts/acc-0009-09', { as: zhangwei }),
      );
      assertProblem(others, 403, 'account_not_consented');
      assertProblem(unconsented, 403, 'account_not_consented');
      assertProblem(nonexistent, 403, 'account_not_consented');
      assert.notEqual(others.body.interactionId, unconsented.body.interactionId);
      assert.deepEqual(stableProblem(others), stableProblem(unconsented));
      assert.deepEqual(stableProblem(others), stableProblem(nonexistent));
      assert.deepEqual(Object.keys(others.headers).sort(), Object.keys(unconsented.headers).sort());
      for (const path of ['/balances', '/transactions']) {
        const sub = await backends.untouched(() =>
          send(stack, `/accounts/acc-0002-01${path}`, { as: zhangwei }),
        );
        assertProblem(sub, 403, 'account_not_consented');
      }
    });
  });

  describe('GET /accounts/{accountId}/transactions', () => {
    it('keeps a query inside the consented transaction window, to the second, and refuses one wholly outside with 403', async () => {
      // The window opens and closes in the middle of two booking days, between two bookings.
      const history = assertOk<Transaction[]>(
        await send(
          stack,
          `/accounts/acc-0001-01/transactions?fromBookingDate=${chinaDate(inDays(-90))}&toBookingDate=${chinaDate(inDays(-30))}&limit=500`,
          { as: zhangwei },
        ),
      );
      const midDay = (day: string) => {
        const times = history
          .filter((t) => chinaDate(t.bookingDateTime) === day)
          .map((t) => Date.parse(t.bookingDateTime))
          .sort();
        return times.length >= 2 && times[0]! < times.at(-1)!
          ? new Date((times[0]! + times.at(-1)!) / 2).toISOString()
          : undefined;
      };
      const days = [...new Set(history.map((t) => chinaDate(t.bookingDateTime)))].sort();
      const from = days.map(midDay).find(Boolean)!;
      const to = days.reverse().map(midDay).find(Boolean)!;
      assert.ok(from && to && from < to, 'two booking days with several bookings');
      const windowed = await grant(
        stack,
        tpp,
        [{ ...ACCOUNT_INFORMATION, transactionFromDateTime: from, transactionToDateTime: to }],
        { accounts: ['acc-0001-01'] },
      );
      const inWindow = (t: Transaction) =>
        Date.parse(t.bookingDateTime) >= Date.parse(from) &&
        Date.parse(t.bookingDateTime) <= Date.parse(to);
      const expected = history.filter(inWindow).map((t) => t.id);
      assert.ok(expected.length > 5 && expected.length < history.length);

      const all = await send(stack, '/accounts/acc-0001-01/transactions?limit=500', {
        as: windowed,
      });
      assert.deepEqual(
        assertOk<Transaction[]>(all).map((t) => t.id),
        expected,
        'exactly the transactions booked inside the window',
      );
      assert.equal((all.body.meta as { count: number }).count, expected.length);
      const [first, last] = [chinaDate(from), chinaDate(to)];
      assert.match(
        backends.bank.calls.at(-1)!.url,
        new RegExp(`fromBookingDate=${first}.*toBookingDate=${last}`),
      );

      // Overlapping the window: clamped to it.
      const wide = assertOk<Transaction[]>(
        await send(
          stack,
          `/accounts/acc-0001-01/transactions?fromBookingDate=2000-01-01&toBookingDate=${chinaDate(inDays(1))}&limit=500`,
          { as: windowed },
        ),
      );
      assert.deepEqual(
        wide.map((t) => t.id),
        expected,
      );

      // Page by page, following links.next as given: the same transactions, none twice.
      const paged: string[] = [];
      let next: string | undefined = '/accounts/acc-0001-01/transactions?limit=7';
      while (next) {
        const page = await send(stack, next, { as: windowed });
        paged.push(...assertOk<Transaction[]>(page).map((t) => t.id));
        next = (page.body.links as { next?: string }).next;
        assert.ok(paged.length <= history.length, 'pagination ends');
      }
      assert.deepEqual(paged, expected);

      // Inside the window: only what was asked.
      const middle = chinaDate(new Date((Date.parse(from) + Date.parse(to)) / 2).toISOString());
      const inside = assertOk<Transaction[]>(
        await send(
          stack,
          `/accounts/acc-0001-01/transactions?fromBookingDate=${middle}&toBookingDate=${middle}`,
          { as: windowed },
        ),
      );
      assert.ok(inside.every((t) => chinaDate(t.bookingDateTime) === middle));

      for (const query of [
        `fromBookingDate=${chinaDate(inDays(-10))}`,
        `toBookingDate=${chinaDate(inDays(-100))}`,
        `fromBookingDate=${chinaDate(inDays(-10))}&toBookingDate=${chinaDate(inDays(-5))}`,
      ]) {
        const outside = await backends.untouched(() =>
          send(stack, `/accounts/acc-0001-01/transactions?${query}`, { as: windowed }),
        );
        assertProblem(outside, 403, 'permission_missing', { detail: /transaction window/ });
      }

      // Both dates inside the window but in the wrong order: the caller's mistake, named.
      const swapped = await backends.untouched(() =>
        send(
          stack,
          `/accounts/acc-0001-01/transactions?fromBookingDate=${last}&toBookingDate=${first}`,
          {
            as: windowed,
          },
        ),
      );
      assertProblem(swapped, 400, 'invalid_parameter', {
        detail: /^fromBookingDate: must not be after toBookingDate$/,
      });
    });

    it('shows only Credit transactions under a credits-only consent, and refuses a query for debits', async () => {
      const credits = await grant(
        stack,
        tpp,
        [
          {
            ...ACCOUNT_INFORMATION,
            permissions: ['ReadAccountsBasic', 'ReadTransactionsBasic', 'ReadTransactionsCredits'],
          },
        ],
        { accounts: ['acc-0001-01'] },
      );
      const data = assertOk<Transaction[]>(
        await send(stack, '/accounts/acc-0001-01/transactions?limit=200', { as: credits }),
      );
      assert.ok(data.length > 0);
      assert.deepEqual([...new Set(data.map((t) => t.creditDebitIndicator))], ['Credit']);
      assertOk(
        await send(stack, '/accounts/acc-0001-01/transactions?creditDebitIndicator=Credit', {
          as: credits,
        }),
      );
      const debits = await backends.untouched(() =>
        send(stack, '/accounts/acc-0001-01/transactions?creditDebitIndicator=Debit', {
          as: credits,
        }),
      );
      assertProblem(debits, 403, 'permission_missing', { detail: /only credit/ });
    });
  });

  describe('a revoked or expired consent', () => {
    it('refuses a consent revoked in the dashboard with 403 consent_revoked, within one second of the revoke', async () => {
      const revocable = await grant(stack, tpp, [ACCOUNT_INFORMATION], {
        accounts: ['acc-0001-01'],
      });
      // The gateway knows the consent (cached, fed by the change feed) before the revoke.
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: revocable }));
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: revocable }));

      const browser = new Browser();
      const login = await browser.open(`${stack.consent.url}/dashboard`);
      await browser.submit(login, '/dashboard/login', {
        username: 'zhangwei',
        password: DEMO_PASSWORD,
      });
      const confirm = await browser.open(
        `${stack.consent.url}/dashboard/consents/${revocable.consentId}/revoke`,
      );
      const done = await browser.submit(
        confirm,
        `/dashboard/consents/${revocable.consentId}/revoke`,
      );
      assert.equal(done.status, 200);
      const revokedAt = performance.now();
      const response = await backends.untouched(() =>
        send(stack, '/accounts/acc-0001-01', { as: revocable }),
      );
      const elapsed = performance.now() - revokedAt;
      assertProblem(response, 403, 'consent_revoked');
      assert.ok(elapsed < 1000, `refused ${Math.round(elapsed)} ms after the revoke`);
      // Other consents of the same customer and TPP are untouched.
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
    });

    it('refuses a consent past its expiry with 403 consent_expired', async () => {
      assertOk(beforeExpiry);
      const { expiresAt } = (await stack.consentService.consents.store.find(shortLived.consentId))!;
      await sleep(Math.max(0, Date.parse(expiresAt) - Date.now() + 50));
      const response = await backends.untouched(() =>
        send(stack, '/accounts/acc-0001-01', { as: shortLived }),
      );
      assertProblem(response, 403, 'consent_expired');
    });
  });

  describe('credit data from the data exchange', () => {
    let enterprise: Grant;
    before(async () => {
      enterprise = await grant(
        stack,
        tpp,
        [
          {
            type: 'credit_data_sharing',
            permissions: [
              'ReadEnterpriseProfile',
              'ReadEnterpriseTaxGrades',
              'ReadEnterpriseInvoices',
              'ReadEnterpriseUtilityPayments',
            ],
            purpose: 'Working-capital loan assessment',
            expirationDateTime: inDays(30),
          },
        ],
        { username: 'mingyuan' },
      );
    });

    it('reads the consented enterprise’s profile, tax grades, invoice summaries and utility payments', async () => {
      const before = backends.exchange.count;
      const profile = assertOk<{ creditCode: string }>(
        await send(stack, `/enterprises/${MINGYUAN}`, { as: enterprise }),
      );
      assert.equal(profile.creditCode, MINGYUAN);
      for (const path of [
        'tax-grades',
        'invoice-summaries',
        'utility-payments?utility=electricity',
      ]) {
        const data = assertOk<unknown[]>(
          await send(stack, `/enterprises/${MINGYUAN}/${path}`, { as: enterprise }),
        );
        assert.ok(Array.isArray(data) && data.length > 0, path);
      }
      assert.equal(backends.exchange.count, before + 4);
    });

    it('refuses another enterprise’s code with 403 enterprise_not_consented', async () => {
      for (const path of [`/enterprises/${HEFENG}`, `/enterprises/${HEFENG}/tax-grades`]) {
        const response = await backends.untouched(() => send(stack, path, { as: enterprise }));
        assertProblem(response, 403, 'enterprise_not_consented');
      }
    });

    it('refuses the enterprise consent on personal and account data with 403 permission_missing', async () => {
      for (const path of ['/individuals/me/credit-summary', '/accounts']) {
        const response = await backends.untouched(() => send(stack, path, { as: enterprise }));
        assertProblem(response, 403, 'permission_missing');
      }
    });

    it('reads a retail customer’s own credit summary under ReadPersonalCreditSummary', async () => {
      const personal = await grant(stack, tpp, [PERSONAL_CREDIT]);
      const before = backends.exchange.count;
      assertOk(await send(stack, '/individuals/me/credit-summary', { as: personal }));
      assert.equal(backends.exchange.count, before + 1);
      const refused = await backends.untouched(() =>
        send(stack, '/individuals/me/credit-summary', { as: zhangwei }),
      );
      assertProblem(refused, 403, 'permission_missing');
      const enterpriseRoute = await backends.untouched(() =>
        send(stack, `/enterprises/${MINGYUAN}`, { as: personal }),
      );
      assertProblem(enterpriseRoute, 403, 'permission_missing');
    });
  });

  describe('when the consent service cannot be asked', () => {
    it('fails closed with 503 consent_status_unknown, never a 2xx, and recovers when it is back', async () => {
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
      const consentApp = stack.consent.handler.current;
      const down: RequestListener = (req) => req.socket.destroy();
      stack.consent.handler.current = down;
      stack.consentService.feed.close();
      try {
        await eventually(
          'the feed dropped',
          async () => !stack.gateway.consents.feedConnected,
          1000,
        );
        for (const path of [
          '/accounts/acc-0001-01',
          '/accounts',
          '/accounts/acc-0001-03/balances',
        ]) {
          const response = await backends.untouched(() => send(stack, path, { as: zhangwei }));
          assertProblem(response, 503, 'consent_status_unknown');
          assert.equal(response.headers['retry-after'], '2');
        }
      } finally {
        stack.consent.handler.current = consentApp;
      }
      assertOk(await send(stack, '/accounts/acc-0001-01', { as: zhangwei }));
      // Leave the shared stack as found: the feed back (it reconnects with back-off).
      await eventually(
        'the feed reconnected',
        async () => stack.gateway.consents.feedConnected,
        6000,
      );
    });
  });
});
