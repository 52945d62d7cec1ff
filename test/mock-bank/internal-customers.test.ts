import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_CUSTOMERS, DEMO_PASSWORD } from '@bund/service-kit';
import type { MockBank } from '@bund/mock-bank/build';
import { buildTestBank, fromConsentService, withoutInteractionId } from './test-bank.js';

const AUTHENTICATE = '/internal/customers/authenticate';

describe('mock-bank: the internal customer API', () => {
  let bank: MockBank;

  before(async function () {
    this.timeout(30_000);
    bank = await buildTestBank();
  });
  after(() => bank?.db.destroy());

  const authenticate = (body: unknown) =>
    request(bank.app)
      .post(AUTHENTICATE)
      .set(fromConsentService)
      .send(body as object);

  describe('POST /internal/customers/authenticate', () => {
    for (const customer of DEMO_CUSTOMERS) {
      it(`logs ${customer.username} in with the demo password and says who they are`, async () => {
        const res = await authenticate({
          username: customer.username,
          password: DEMO_PASSWORD,
        }).expect(200);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.deepEqual(res.body, {
          data: {
            customerId: customer.id,
            kind: customer.kind,
            name: { zh: customer.nameZh, en: customer.nameEn },
            ...(customer.creditCode ? { creditCode: customer.creditCode } : {}),
          },
        });
      });
    }

    it('answers a wrong password and an unknown username with the same 401 invalid_credentials', async () => {
      const wrong = await authenticate({ username: 'zhangwei', password: 'bund-demo-2025' }).expect(
        401,
      );
      const unknown = await authenticate({ username: 'nobody', password: DEMO_PASSWORD }).expect(
        401,
      );
      assert.match(wrong.headers['content-type']!, /^application\/problem\+json/);
      assert.deepEqual(withoutInteractionId(wrong.body), {
        type: '/docs/errors#invalid_credentials',
        title: 'Invalid credentials',
        status: 401,
        code: 'invalid_credentials',
        detail: 'The username or password is not correct.',
      });
      assert.deepEqual(withoutInteractionId(unknown.body), withoutInteractionId(wrong.body));
    });

    it('spends a full password check on an unknown username, as on a wrong password', async function () {
      this.timeout(30_000);
      // Interleaved tries so machine load hits both alike; the fastest try of each is its
      // true cost (noise only ever adds time). Without the dummy check an unknown username
      // would answer in well under a tenth of the time.
      const fastest = { wrong: Infinity, unknown: Infinity };
      for (let i = 0; i < 8; i += 1) {
        for (const [kind, username] of [
          ['wrong', 'zhangwei'],
          ['unknown', 'no-such-user'],
        ] as const) {
          const started = performance.now();
          await authenticate({ username, password: 'wrong-password' }).expect(401);
          fastest[kind] = Math.min(fastest[kind], performance.now() - started);
        }
      }
      assert.ok(
        fastest.unknown > fastest.wrong * 0.5 && fastest.unknown < fastest.wrong * 2,
        `wrong password ${fastest.wrong.toFixed(1)} ms, unknown user ${fastest.unknown.toFixed(1)} ms`,
      );
    });

    it('treats usernames as exact: no case folding or padding', async () => {
      await authenticate({ username: 'ZhangWei', password: DEMO_PASSWORD }).expect(401);
      await authenticate({ username: ' zhangwei', password: DEMO_PASSWORD }).expect(401);
    });

    it('refuses a body that is not JSON with 415', async () => {
      const res = await request(bank.app)
        .post(AUTHENTICATE)
        .set(fromConsentService)
        .type('form')
        .send('username=zhangwei&password=x')
        .expect(415);
      assert.equal(res.body.code, 'unsupported_media_type');
      await request(bank.app).post(AUTHENTICATE).set(fromConsentService).expect(415);
    });

    it('refuses malformed JSON with 400 malformed_body', async () => {
      const res = await request(bank.app)
        .post(AUTHENTICATE)
        .set(fromConsentService)
        .set('content-type', 'application/json')
        .send('{"username": "zhangwei",')
        .expect(400);
      assert.equal(res.body.code, 'malformed_body');
      const array = await authenticate([{ username: 'zhangwei' }]).expect(400);
      assert.equal(array.body.code, 'malformed_body');
    });

    for (const [field, body] of [
      ['username', { password: DEMO_PASSWORD }],
      ['password', { username: 'zhangwei' }],
    ] as const) {
      it(`refuses a body without ${field} with 400 naming /${field}`, async () => {
        const res = await authenticate(body).expect(400);
        assert.equal(res.body.code, 'invalid_parameter');
        assert.equal(res.body.errors[0].parameter, `/${field}`);
        assert.match(res.body.detail, new RegExp(`^${field}: `));
      });
    }

    it('refuses fields of the wrong type, empty ones and unknown ones, naming each', async () => {
      const typed = await authenticate({ username: 42, password: DEMO_PASSWORD }).expect(400);
      assert.equal(typed.body.errors[0].parameter, '/username');
      const empty = await authenticate({ username: 'zhangwei', password: '' }).expect(400);
      assert.equal(empty.body.errors[0].parameter, '/password');
      const extra = await authenticate({
        username: 'zhangwei',
        password: DEMO_PASSWORD,
        remember: true,
      }).expect(400);
      assert.equal(extra.body.code, 'unknown_parameter');
      assert.equal(extra.body.errors[0].parameter, '/remember');
    });

    it('refuses a body over 16 kB with 413', async () => {
      const res = await authenticate({
        username: 'zhangwei',
        password: 'x'.repeat(17 * 1024),
      }).expect(413);
      assert.equal(res.body.code, 'payload_too_large');
    });
  });

  describe('GET /internal/customers/{customerId}', () => {
    it("reads a retail customer's profile", async () => {
      const res = await request(bank.app)
        .get('/internal/customers/cus-0001')
        .set(fromConsentService)
        .expect(200);
      assert.deepEqual(res.body, {
        data: { id: 'cus-0001', kind: 'retail', name: { zh: '张伟', en: 'Zhang Wei' } },
      });
    });

    it("reads an SME customer's profile with its credit code", async () => {
      const res = await request(bank.app)
        .get('/internal/customers/cus-0102')
        .set(fromConsentService)
        .expect(200);
      assert.deepEqual(res.body.data, {
        id: 'cus-0102',
        kind: 'sme',
        name: { zh: '深圳禾丰贸易有限公司', en: 'Shenzhen Hefeng Trading Co., Ltd.' },
        creditCode: '91440305MA5F3C2NX9',
      });
    });

    it('answers an unknown customer with 404 and a malformed id with 400 naming customerId', async () => {
      const unknown = await request(bank.app)
        .get('/internal/customers/cus-0999')
        .set(fromConsentService)
        .expect(404);
      assert.equal(unknown.body.code, 'not_found');
      const bad = await request(bank.app)
        .get('/internal/customers/zhangwei')
        .set(fromConsentService)
        .expect(400);
      assert.equal(bad.body.errors[0].parameter, 'customerId');
    });
  });

  describe('GET /internal/customers/{customerId}/accounts', () => {
    it("lists zhangwei's three accounts for the account chooser, without full numbers", async () => {
      const res = await request(bank.app)
        .get('/internal/customers/cus-0001/accounts')
        .set(fromConsentService)
        .expect(200);
      assert.deepEqual(
        res.body.data.map((a: Record<string, unknown>) => Object.keys(a)),
        [0, 1, 2].map(() => ['id', 'type', 'currency', 'nickname', 'maskedNumber', 'productName']),
      );
      assert.deepEqual(res.body.data[0], {
        id: 'acc-0001-01',
        type: 'current',
        currency: 'CNY',
        nickname: { zh: '工资卡', en: 'Salary account' },
        maskedNumber: res.body.data[0].maskedNumber,
        productName: { zh: '个人借记卡（I类账户）', en: 'Personal debit card (Class I account)' },
      });
      assert.match(res.body.data[0].maskedNumber, /^\*{4} \d{4}$/);
      assert.deepEqual(
        res.body.data.map((a: { type: string }) => a.type),
        ['current', 'savings', 'credit_card'],
      );
    });

    it('answers an unknown customer with 404 and a malformed id with 400 naming customerId', async () => {
      await request(bank.app)
        .get('/internal/customers/cus-0999/accounts')
        .set(fromConsentService)
        .expect(404);
      const bad = await request(bank.app)
        .get('/internal/customers/cus-1/accounts')
        .set(fromConsentService)
        .expect(400);
      assert.equal(bad.body.errors[0].parameter, 'customerId');
    });
  });
});
