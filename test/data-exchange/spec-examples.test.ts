import assert from 'node:assert/strict';
import request from 'supertest';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import { listOperations, loadApiDocuments } from '@bund/specs';
import type { SpecParameter } from '@bund/specs';
import type { DataExchange } from '@bund/data-exchange/build';
import { GATEWAY_CREDENTIAL, buildTestService, customer } from './helpers.js';

/*
 * The examples in specs/credit-data.yaml are real seeded values: each documented 200 example
 * is exactly what the data exchange answers, seeded as the spec says (default seed, anchor
 * 2026-01-02), to the request its parameter examples make.
 */

const documents = await loadApiDocuments();
const operations = listOperations(documents.filter((d) => d.file === 'credit-data.yaml'));

function exampleOf(parameter: SpecParameter): unknown {
  return parameter.example ?? Object.values(parameter.examples ?? {})[0]?.value;
}

describe('specs/credit-data.yaml examples', () => {
  let service: DataExchange;
  before(async () => {
    service = await buildTestService();
  });
  after(async () => service.db.destroy());

  it('documents the five credit-data operations', () => {
    assert.deepEqual(operations.map((o) => o.operation.operationId).sort(), [
      'getEnterpriseProfile',
      'getPersonalCreditSummary',
      'listEnterpriseInvoiceSummaries',
      'listEnterpriseTaxGrades',
      'listEnterpriseUtilityPayments',
    ]);
  });

  for (const entry of operations) {
    it(`${entry.operation.operationId}: the 200 example is what the sandbox answers`, async () => {
      const path = entry.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        String(exampleOf(entry.parameters.find((p) => p.in === 'path' && p.name === name)!)),
      );
      const query = Object.fromEntries(
        entry.parameters.filter((p) => p.in === 'query').map((p) => [p.name, String(exampleOf(p))]),
      );
      const headers = Object.fromEntries(
        entry.parameters
          .filter((p) => p.in === 'header')
          .map((p) => [p.name, String(exampleOf(p))]),
      );
      const login = entry.operation['x-sandbox-customer']!;
      const res = await request(service.app)
        .get(path)
        .query(query)
        .set({
          ...headers,
          [INTERNAL_HEADERS.credential]: GATEWAY_CREDENTIAL,
          [INTERNAL_HEADERS.customerId]: customer(login).id,
        });
      assert.equal(res.status, 200, res.text);
      const media = entry.operation.responses['200']!.content!['application/json'] as {
        examples: Record<string, { value: unknown }>;
      };
      const examples = Object.values(media.examples);
      assert.equal(examples.length, 1);
      assert.deepEqual(res.body, examples[0]!.value);
    });
  }
});
