import assert from 'node:assert/strict';
import request from 'supertest';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import type { DataExchange } from '@bund/data-exchange/build';
import { ANCHOR_DATE, GATEWAY_CREDENTIAL, asCustomer, buildTestService } from './helpers.js';

const cny = (amount: string) => ({ amount, currency: 'CNY' });

describe('GET /individuals/me/credit-summary', () => {
  let service: DataExchange;
  before(async () => {
    service = await buildTestService();
  });
  after(async () => service.db.destroy());

  const get = (username: string, query = '') =>
    request(service.app).get(`/individuals/me/credit-summary${query}`).set(asCustomer(username));

  it("answers the calling customer's own summary, not cached", async () => {
    const res = await get('zhangwei');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.deepEqual(res.body, {
      data: {
        reportDate: ANCHOR_DATE,
        accountCounts: { creditCards: 2, loans: 0, mortgages: 1, total: 3 },
        totalCreditLimit: cny('2930000.00'),
        totalOutstanding: cny('2493967.67'),
        overdueAccounts: 0,
        longestOverdueMonths: 0,
        enquiriesLast6Months: 1,
        repaymentPeriod: { fromMonth: '2024-01', toMonth: '2025-12' },
        creditAccounts: [
          {
            type: 'mortgage',
            institution: { zh: '招商银行', en: 'China Merchants Bank' },
            openedOn: '2019-08-12',
            creditLimit: cny('2800000.00'),
            outstanding: cny('2461766.48'),
            status: 'normal',
            repaymentStatus: 'N'.repeat(24),
          },
          {
            type: 'credit_card',
            institution: { zh: '招商银行', en: 'China Merchants Bank' },
            openedOn: '2016-05-03',
            creditLimit: cny('80000.00'),
            outstanding: cny('19354.94'),
            status: 'normal',
            repaymentStatus: 'N'.repeat(24),
          },
          {
            type: 'credit_card',
            institution: { zh: '中国工商银行', en: 'Industrial and Commercial Bank of China' },
            openedOn: '2020-11-20',
            creditLimit: cny('50000.00'),
            outstanding: cny('12846.25'),
            status: 'normal',
            repaymentStatus: 'N'.repeat(24),
          },
        ],
      },
      links: { self: '/individuals/me/credit-summary' },
      meta: { dataAsOf: ANCHOR_DATE },
    });
  });

  it('derives the totals from the accounts, for every retail customer', async () => {
    for (const username of ['zhangwei', 'lina', 'wangfang', 'chenjie']) {
      const { body } = await get(username);
      const accounts = body.data.creditAccounts as Array<{
        creditLimit: { amount: string };
        outstanding: { amount: string };
        repaymentStatus: string;
        status: string;
      }>;
      const sum = (pick: (a: (typeof accounts)[number]) => string) =>
        accounts.reduce((t, a) => t + Math.round(Number(pick(a)) * 100), 0);
      assert.equal(
        Math.round(Number(body.data.totalCreditLimit.amount) * 100),
        sum((a) => a.creditLimit.amount),
      );
      assert.equal(
        Math.round(Number(body.data.totalOutstanding.amount) * 100),
        sum((a) => a.outstanding.amount),
      );
      assert.equal(body.data.accountCounts.total, accounts.length);
      assert.equal(
        body.data.overdueAccounts,
        accounts.filter((a) => a.status === 'overdue').length,
      );
      for (const a of accounts) assert.match(a.repaymentStatus, /^[N1-7]{24}$/);
    }
  });

  it('shows a customer overdue now, with the longest spell and the recent enquiries', async () => {
    const { body } = await get('chenjie');
    assert.equal(body.data.overdueAccounts, 1);
    assert.equal(body.data.longestOverdueMonths, 2);
    assert.equal(body.data.enquiriesLast6Months, 6);
    const loan = body.data.creditAccounts.find((a: { type: string }) => a.type === 'loan');
    assert.equal(loan.status, 'overdue');
    assert.match(loan.repaymentStatus, /^N+12N+1$/);
  });

  it('answers an SME customer, who has no personal report, with 404', async () => {
    const res = await get('mingyuan');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
    assert.equal(res.body.detail, 'No personal credit report for this customer.');
  });

  it('answers a customer the exchange does not know with the same 404', async () => {
    const res = await request(service.app)
      .get('/individuals/me/credit-summary')
      .set({
        [INTERNAL_HEADERS.credential]: GATEWAY_CREDENTIAL,
        [INTERNAL_HEADERS.customerId]: 'cus-9999',
      });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
  });

  it('refuses an unknown query parameter with 400 unknown_parameter naming it', async () => {
    const res = await get('zhangwei', '?customerId=cus-0002');
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'unknown_parameter');
    assert.deepEqual(res.body.errors, [{ parameter: 'customerId', detail: 'unknown parameter' }]);
  });
});
