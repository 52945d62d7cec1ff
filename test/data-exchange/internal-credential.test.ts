import assert from 'node:assert/strict';
import request from 'supertest';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import type { DataExchange } from '@bund/data-exchange/build';
import {
  CONSENT_SERVICE_CREDENTIAL,
  GATEWAY_CREDENTIAL,
  MINGYUAN,
  buildTestService,
  customer,
} from './helpers.js';

const RESOURCE_PATHS = [
  `/enterprises/${MINGYUAN}`,
  `/enterprises/${MINGYUAN}/tax-grades`,
  `/enterprises/${MINGYUAN}/invoice-summaries`,
  `/enterprises/${MINGYUAN}/utility-payments`,
  '/individuals/me/credit-summary',
];

describe('data-exchange: only the gateway may call', () => {
  let service: DataExchange;
  before(async () => {
    service = await buildTestService();
  });
  after(async () => service.db.destroy());

  const customerId = { [INTERNAL_HEADERS.customerId]: customer('mingyuan').id };

  const refused = (res: request.Response) => {
    assert.equal(res.status, 401);
    assert.equal(res.type, 'application/problem+json');
    assert.equal(res.body.code, 'unauthorized');
    assert.equal(res.body.interactionId, res.headers['x-fapi-interaction-id']);
  };

  for (const path of RESOURCE_PATHS) {
    describe(`GET ${path}`, () => {
      it('refuses a call without the internal credential with 401', async () => {
        refused(await request(service.app).get(path).set(customerId));
      });

      it("refuses the consent service's credential with 401", async () => {
        refused(
          await request(service.app)
            .get(path)
            .set({ ...customerId, [INTERNAL_HEADERS.credential]: CONSENT_SERVICE_CREDENTIAL }),
        );
      });

      it('refuses a wrong credential with 401', async () => {
        refused(
          await request(service.app)
            .get(path)
            .set({ ...customerId, [INTERNAL_HEADERS.credential]: `${GATEWAY_CREDENTIAL}x` }),
        );
      });

      it('refuses a gateway call that names no customer with 400 naming the header', async () => {
        const res = await request(service.app)
          .get(path)
          .set({ [INTERNAL_HEADERS.credential]: GATEWAY_CREDENTIAL });
        assert.equal(res.status, 400);
        assert.equal(res.body.code, 'invalid_parameter');
        assert.deepEqual(
          res.body.errors.map((e: { parameter: string }) => e.parameter),
          [INTERNAL_HEADERS.customerId],
        );
      });
    });
  }

  it('counts refused calls under their operationId, never the raw URL', async () => {
    await request(service.app).get(`/enterprises/${MINGYUAN}/tax-grades`);
    const metrics = await request(service.app).get('/metrics');
    assert.match(
      metrics.text,
      /http_requests_total\{route="listEnterpriseTaxGrades",method="GET",status="401"[^}]*\} [1-9]/,
    );
    assert.doesNotMatch(metrics.text, new RegExp(MINGYUAN));
  });
});
