import assert from 'node:assert/strict';
import request from 'supertest';
import { OTHER_ENTERPRISE_CREDIT_CODES } from '@bund/service-kit';
import type { DataExchange } from '@bund/data-exchange/build';
import { ANCHOR_DATE, HEFENG, MINGYUAN, asCustomer, buildTestService } from './helpers.js';

const MINGYUAN_PROFILE = {
  creditCode: '91310115MA1K4B7DXG',
  name: { zh: '上海明远科技有限公司', en: 'Shanghai Mingyuan Technology Co., Ltd.' },
  legalRepresentative: { zh: '周明远', en: 'Zhou Mingyuan' },
  registeredCapital: { amount: '10000000.00', currency: 'CNY' },
  establishedOn: '2018-03-16',
  status: { code: 'in_operation', zh: '存续', en: 'In operation' },
  enterpriseType: {
    zh: '有限责任公司（自然人投资或控股）',
    en: 'Limited liability company (invested or controlled by natural persons)',
  },
  industry: { code: 'I6513', zh: '应用软件开发', en: 'Application software development' },
  registeredAddress: {
    zh: '中国（上海）自由贸易试验区张江路665号3层',
    en: 'Floor 3, No. 665 Zhangjiang Road, China (Shanghai) Pilot Free Trade Zone',
  },
  registrationAuthority: {
    zh: '上海市浦东新区市场监督管理局',
    en: 'Shanghai Pudong New Area Administration for Market Regulation',
  },
  businessScope: {
    zh: '一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；计算机软硬件及辅助设备批发。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
    en: 'General items: technical services, development, consulting, exchange, transfer and promotion; software development; information system integration services; wholesale of computer hardware, software and auxiliary equipment.',
  },
};

/** Every enterprise route, for the checks they share. */
const ROUTES = ['', '/tax-grades', '/invoice-summaries', '/utility-payments'];

describe('data-exchange enterprise credit data', () => {
  let service: DataExchange;
  before(async () => {
    service = await buildTestService();
  });
  after(async () => service.db.destroy());

  const get = (path: string, username = 'mingyuan') =>
    request(service.app).get(path).set(asCustomer(username));

  describe('GET /enterprises/{creditCode}', () => {
    it("answers the customer's own enterprise with its registration facts, not cached", async () => {
      const res = await get(`/enterprises/${MINGYUAN}`);
      assert.equal(res.status, 200);
      assert.equal(res.type, 'application/json');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.ok(res.headers['x-fapi-interaction-id']);
      assert.deepEqual(res.body, {
        data: MINGYUAN_PROFILE,
        links: { self: `/enterprises/${MINGYUAN}` },
        meta: { dataAsOf: ANCHOR_DATE },
      });
    });

    it("answers the other SME customer's own enterprise to that customer", async () => {
      const res = await get(`/enterprises/${HEFENG}`, 'hefeng');
      assert.equal(res.status, 200);
      assert.equal(res.body.data.name.zh, '深圳禾丰贸易有限公司');
      assert.equal(res.body.data.industry.code, 'F5111');
    });
  });

  describe('GET /enterprises/{creditCode}/tax-grades', () => {
    it('lists the published grades, oldest year first', async () => {
      const res = await get(`/enterprises/${MINGYUAN}/tax-grades`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        data: [
          { year: 2020, grade: 'A', evaluatedOn: '2021-04-15' },
          { year: 2021, grade: 'B', evaluatedOn: '2022-04-15' },
          { year: 2022, grade: 'A', evaluatedOn: '2023-04-15' },
          { year: 2023, grade: 'B', evaluatedOn: '2024-04-15' },
          { year: 2024, grade: 'A', evaluatedOn: '2025-04-15' },
        ],
        links: { self: `/enterprises/${MINGYUAN}/tax-grades` },
        meta: { count: 5, dataAsOf: ANCHOR_DATE },
      });
    });
  });

  describe('GET /enterprises/{creditCode}/invoice-summaries', () => {
    it('lists all 24 months before the as-of date without a range', async () => {
      const res = await get(`/enterprises/${MINGYUAN}/invoice-summaries`);
      assert.equal(res.status, 200);
      assert.equal(res.body.data.length, 24);
      assert.deepEqual(
        res.body.data.map((m: { month: string }) => m.month),
        Array.from(
          { length: 24 },
          (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
        ),
      );
      assert.deepEqual(res.body.links, { self: `/enterprises/${MINGYUAN}/invoice-summaries` });
      assert.deepEqual(res.body.meta, {
        count: 24,
        fromMonth: '2024-01',
        toMonth: '2025-12',
        dataAsOf: ANCHOR_DATE,
      });
    });

    it('narrows to a month range, and says so in the self link', async () => {
      const res = await get(
        `/enterprises/${MINGYUAN}/invoice-summaries?toMonth=2025-07&fromMonth=2025-07`,
      );
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        data: [
          {
            month: '2025-07',
            issued: {
              count: 58,
              amountExcludingTax: { amount: '2042746.15', currency: 'CNY' },
              taxAmount: { amount: '122564.77', currency: 'CNY' },
            },
            received: {
              count: 56,
              amountExcludingTax: { amount: '983703.34', currency: 'CNY' },
              taxAmount: { amount: '83614.78', currency: 'CNY' },
            },
          },
        ],
        links: {
          self: `/enterprises/${MINGYUAN}/invoice-summaries?fromMonth=2025-07&toMonth=2025-07`,
        },
        meta: { count: 1, fromMonth: '2025-07', toMonth: '2025-07', dataAsOf: ANCHOR_DATE },
      });
    });

    it('answers an empty list for a range outside the data', async () => {
      const res = await get(`/enterprises/${MINGYUAN}/invoice-summaries?fromMonth=2030-01`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data, []);
      assert.equal(res.body.meta.count, 0);
    });
  });

  describe('GET /enterprises/{creditCode}/utility-payments', () => {
    it('lists every utility for every month, by month and then utility', async () => {
      const res = await get(`/enterprises/${MINGYUAN}/utility-payments`);
      assert.equal(res.status, 200);
      assert.equal(res.body.data.length, 72);
      assert.deepEqual(
        res.body.data
          .slice(0, 3)
          .map((p: { month: string; utility: string }) => [p.month, p.utility]),
        [
          ['2024-01', 'electricity'],
          ['2024-01', 'gas'],
          ['2024-01', 'water'],
        ],
      );
      assert.deepEqual(res.body.meta, {
        count: 72,
        fromMonth: '2024-01',
        toMonth: '2025-12',
        dataAsOf: ANCHOR_DATE,
      });
    });

    it('filters by utility and month range', async () => {
      const res = await get(
        `/enterprises/${MINGYUAN}/utility-payments?utility=electricity&fromMonth=2025-12`,
      );
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        data: [
          {
            utility: 'electricity',
            month: '2025-12',
            provider: {
              name: { zh: '上海城市供电有限公司', en: 'Shanghai Urban Power Supply Co., Ltd.' },
              creditCode: '913100002W3RHJBF9Y',
            },
            usage: { quantity: 31100, unit: 'kWh' },
            billAmount: { amount: '24258.00', currency: 'CNY' },
            dueDate: '2026-01-15',
            // Not yet due on the as-of date.
            paidDate: null,
            status: 'unpaid',
          },
        ],
        links: {
          self: `/enterprises/${MINGYUAN}/utility-payments?fromMonth=2025-12&utility=electricity`,
        },
        meta: { count: 1, fromMonth: '2025-12', toMonth: '2025-12', dataAsOf: ANCHOR_DATE },
      });
    });
  });

  describe('whose enterprise', () => {
    const notFound = (res: request.Response, code: string) => {
      assert.equal(res.status, 404);
      assert.equal(res.type, 'application/problem+json');
      assert.equal(res.body.code, 'not_found');
      assert.equal(res.body.detail, `No enterprise ${code} for this customer.`);
    };

    for (const route of ROUTES) {
      it(`answers another customer's enterprise with 404, like an unknown one (${route || 'profile'})`, async () => {
        notFound(await get(`/enterprises/${HEFENG}${route}`), HEFENG);
      });
    }

    it('answers an enterprise that is no customer of the bank with 404', async () => {
      for (const code of OTHER_ENTERPRISE_CREDIT_CODES) {
        notFound(await get(`/enterprises/${code}`), code);
      }
    });

    it('answers a valid credit code the exchange does not know with the same 404', async () => {
      notFound(await get('/enterprises/91350100M000100Y43'), '91350100M000100Y43');
    });

    it('answers a retail customer asking for an enterprise with 404', async () => {
      notFound(await get(`/enterprises/${MINGYUAN}`, 'zhangwei'), MINGYUAN);
    });
  });

  describe('bad input', () => {
    const invalid = (res: request.Response, parameter: string, detail: RegExp) => {
      assert.equal(res.status, 400, res.text);
      assert.equal(res.type, 'application/problem+json');
      assert.equal(res.body.code, 'invalid_parameter');
      assert.equal(res.body.errors[0].parameter, parameter);
      assert.match(res.body.detail, new RegExp(`^${parameter}: `));
      assert.match(res.body.detail, detail);
    };

    const badCodes: ReadonlyArray<readonly [string, string, RegExp]> = [
      ['of the wrong length', '91310115MA1K4B7DX', /must be 18 characters, got 17/],
      ['with a character outside the charset', '91310115MA1K4B7DXI', /character 18 \("I"\)/],
      ['in lower case', '91310115ma1k4b7dxg', /character 9 \("m"\)/],
      ['with a wrong organisation-code check digit', '91310115MA1K4B7D0G', /GB 11714 check digit/],
      ['with a wrong check character', '91310115MA1K4B7DXA', /check character \(18th\) is wrong/],
    ];
    for (const route of ROUTES) {
      for (const [what, code, reason] of badCodes) {
        it(`refuses a credit code ${what} with 400 naming creditCode (${route || 'profile'})`, async () => {
          invalid(
            await get(`/enterprises/${encodeURIComponent(code)}${route}`),
            'creditCode',
            reason,
          );
        });
      }
    }

    for (const route of ROUTES) {
      it(`refuses an unknown query parameter with 400 unknown_parameter naming it (${route || 'profile'})`, async () => {
        const res = await get(`/enterprises/${MINGYUAN}${route}?page=2`);
        assert.equal(res.status, 400);
        assert.equal(res.body.code, 'unknown_parameter');
        assert.deepEqual(res.body.errors, [{ parameter: 'page', detail: 'unknown parameter' }]);
      });
    }

    for (const route of ['/invoice-summaries', '/utility-payments']) {
      describe(`GET /enterprises/{creditCode}${route}`, () => {
        it('refuses a month that is not YYYY-MM, naming it', async () => {
          invalid(
            await get(`/enterprises/${MINGYUAN}${route}?fromMonth=2025-13`),
            'fromMonth',
            /YYYY-MM/,
          );
          invalid(
            await get(`/enterprises/${MINGYUAN}${route}?toMonth=2025-7`),
            'toMonth',
            /YYYY-MM/,
          );
          invalid(
            await get(`/enterprises/${MINGYUAN}${route}?toMonth=2025-07-01`),
            'toMonth',
            /YYYY-MM/,
          );
        });

        it('refuses fromMonth after toMonth with 400 naming fromMonth', async () => {
          invalid(
            await get(`/enterprises/${MINGYUAN}${route}?fromMonth=2025-09&toMonth=2025-07`),
            'fromMonth',
            /must not be after toMonth/,
          );
        });

        it('refuses a parameter given twice', async () => {
          invalid(
            await get(`/enterprises/${MINGYUAN}${route}?fromMonth=2025-01&fromMonth=2025-02`),
            'fromMonth',
            /given once/,
          );
        });
      });
    }

    it('refuses a utility that is not electricity, water or gas, naming it', async () => {
      invalid(
        await get(`/enterprises/${MINGYUAN}/utility-payments?utility=heating`),
        'utility',
        /electricity/,
      );
    });
  });
});
