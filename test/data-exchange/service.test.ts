import assert from 'node:assert/strict';
import request from 'supertest';
import type { DataExchange } from '@bund/data-exchange/build';
import { buildTestService } from './helpers.js';

describe('data-exchange as a service', () => {
  let service: DataExchange;
  before(async () => {
    service = await buildTestService();
  });
  after(async () => service.db.destroy());

  it('is live, and ready while its database answers', async () => {
    assert.deepEqual((await request(service.app).get('/health/live')).body, { status: 'ok' });
    const ready = await request(service.app).get('/health/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ready', checks: { database: 'ok' } });
  });

  it('answers a route it does not serve with 404 problem+json', async () => {
    const res = await request(service.app).get('/enterprises');
    assert.equal(res.status, 404);
    assert.equal(res.type, 'application/problem+json');
    assert.equal(res.body.code, 'not_found');
  });

  it('stops reporting ready once shutdown begins, so traffic drains', async () => {
    service.beginShutdown();
    const ready = await request(service.app).get('/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.status, 'shutting_down');
  });
});
