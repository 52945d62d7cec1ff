import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import {
  ApiError,
  INTERNAL_HEADERS,
  createHttpMetrics,
  createLogger,
  createServiceApp,
  finishServiceApp,
  isoDate,
  parseQuery,
  requireInternalCredential,
  z,
} from '@bund/service-kit';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

function buildApp(readyCheck: () => Promise<unknown> = async () => undefined) {
  const { logger, lines } = capturingLogger();
  const metrics = createHttpMetrics('test-service');
  const app = createServiceApp({ logger, metrics, readiness: { database: readyCheck } });
  app.get('/things/:id', (req, res) => {
    const query = parseQuery(
      { from: isoDate.optional(), limit: z.coerce.number().int().min(1).max(10).optional() },
      req.query,
    );
    res.json({ id: req.params.id, query });
  });
  app.post('/echo', express.json({ limit: '1kb' }), (req, res) => {
    if (!req.is('application/json'))
      throw new ApiError(415, 'unsupported_media_type', 'Send application/json.');
    res.json(req.body);
  });
  app.get('/boom', () => {
    throw new Error('database password=hunter2 leaked into a message');
  });
  app.get('/private', requireInternalCredential(['s3cret']), (_req, res) => res.json({ ok: true }));
  finishServiceApp(app, logger);
  return { app, lines, metrics };
}

describe('service-kit: a service built on the kit', () => {
  describe('access log', () => {
    it('writes one line per request, with the service’s fields and any credential name redacted', async () => {
      // The services' own logger, so its settings are what is tested.
      const lines: string[] = [];
      const logger = createLogger('test-service', 'info', {
        write: (line: string) => lines.push(line),
      });
      const app = createServiceApp({
        logger,
        metrics: createHttpMetrics('test-service'),
        readiness: {},
        // A service that logs a credential by mistake.
        accessLogFields: () => ({ clientId: 'tpp-a', token: 'eyJ.secret', credential: 'c' }),
      });
      app.get('/things/:id', (_req, res) => res.json({}));
      finishServiceApp(app, logger);
      await request(app).get('/things/1?password=x').expect(200);
      const line = lines
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.msg === 'request completed');
      assert.ok(line, 'one access-log line');
      assert.equal(line.service, 'test-service');
      assert.equal(line.clientId, 'tpp-a');
      assert.equal(line.token, '[redacted]');
      assert.equal(line.credential, '[redacted]');
      const req = line.req as { method: string; path: string };
      assert.equal(req.path, '/things/1', 'the path without its query');
      assert.ok(!lines.join('').includes('eyJ.secret'));
    });

    it('logs successes on a quiet path at debug, and its errors as any other', async () => {
      const lines: string[] = [];
      const logger = createLogger('test-service', 'info', {
        write: (line: string) => lines.push(line),
      });
      const app = createServiceApp({
        logger,
        metrics: createHttpMetrics('test-service'),
        readiness: {},
        quietWhenOk: ['/jwks'],
      });
      let failing = false;
      app.get('/jwks', (_req, res) => {
        if (failing) res.status(503).json({});
        else res.json({ keys: [] });
      });
      app.get('/consents', (_req, res) => res.json([]));
      finishServiceApp(app, logger);
      // The gateway's key probe, every 5 s.
      for (let i = 0; i < 3; i++) await request(app).get('/jwks?probe=1').expect(200);
      await request(app).get('/consents').expect(200);
      failing = true;
      await request(app).get('/jwks').expect(503);
      await request(app).get('/jwks/other').expect(404);
      const logged = lines
        .map((text) => JSON.parse(text) as { msg: string; req: { path: string } })
        .filter((entry) => entry.req)
        .map((entry) => `${entry.msg} ${entry.req.path}`);
      assert.deepEqual(logged, [
        'request completed /consents',
        'request errored /jwks',
        'request completed /jwks/other',
      ]);
    });

    it('leaves the full redaction on every other line of the service', () => {
      const lines: string[] = [];
      const logger = createLogger('test-service', 'info', {
        write: (line: string) => lines.push(line),
      });
      createServiceApp({ logger, metrics: createHttpMetrics('test-service'), readiness: {} });
      logger.info(
        { req: { headers: { authorization: 'DPoP eyJ.secret' } }, call: { token: 'eyJ.other' } },
        'a line with credentials in nested fields',
      );
      const text = lines.join('');
      assert.ok(!text.includes('eyJ.secret') && !text.includes('eyJ.other'), text);
      assert.match(text, /\[redacted\]/);
    });
  });

  describe('errors', () => {
    it('answers an unknown route with 404 problem+json naming the path', async () => {
      const { app } = buildApp();
      const res = await request(app).get('/nowhere').expect(404);
      assert.match(res.headers['content-type']!, /^application\/problem\+json/);
      assert.equal(res.body.code, 'not_found');
      assert.match(res.body.detail, /GET \/nowhere/);
      assert.equal(res.body.interactionId, res.headers['x-fapi-interaction-id']);
    });

    it('refuses an unknown query parameter with 400 unknown_parameter naming it', async () => {
      const { app } = buildApp();
      const res = await request(app).get('/things/1?colour=red').expect(400);
      assert.equal(res.body.code, 'unknown_parameter');
      assert.deepEqual(res.body.errors, [{ parameter: 'colour', detail: 'unknown parameter' }]);
    });

    it('refuses a parameter given twice', async () => {
      const { app } = buildApp();
      const res = await request(app).get('/things/1?from=2024-01-01&from=2024-02-01').expect(400);
      assert.equal(res.body.code, 'invalid_parameter');
      assert.equal(res.body.errors[0].parameter, 'from');
    });

    it('refuses a date that does not exist, naming the parameter', async () => {
      const { app } = buildApp();
      const res = await request(app).get('/things/1?from=2024-02-30').expect(400);
      assert.equal(res.body.code, 'invalid_parameter');
      assert.match(res.body.detail, /^from: /);
      await request(app)
        .get('/things/1?from=2024-02-29&limit=3')
        .expect(200, { id: '1', query: { from: '2024-02-29', limit: 3 } });
    });

    it('answers malformed JSON with 400 malformed_body and an oversized body with 413', async () => {
      const { app } = buildApp();
      const bad = await request(app)
        .post('/echo')
        .set('content-type', 'application/json')
        .send('{"a":')
        .expect(400);
      assert.equal(bad.body.code, 'malformed_body');
      const big = await request(app)
        .post('/echo')
        .send({ a: 'x'.repeat(2000) })
        .expect(413);
      assert.equal(big.body.code, 'payload_too_large');
    });

    it('hides an internal error behind a generic 500 and logs its cause', async () => {
      const { app, lines } = buildApp();
      const res = await request(app).get('/boom').expect(500);
      assert.equal(res.body.code, 'internal_error');
      assert.doesNotMatch(JSON.stringify(res.body), /hunter2|database/);
      assert.ok(lines.some((line) => line.includes('unhandled error')));
    });

    it('answers a malformed percent-encoded path with 400, not 500', async () => {
      const { app } = buildApp();
      const res = await request(app).get('/things/%E0%A4%A').expect(400);
      assert.equal(res.body.code, 'invalid_parameter');
    });
  });

  describe('interaction id', () => {
    it('echoes a UUID the caller sent', async () => {
      const { app } = buildApp();
      const id = '3f1c8e1a-1f2b-4c3d-9e8f-0a1b2c3d4e5f';
      const res = await request(app)
        .get('/health/live')
        .set('x-fapi-interaction-id', id)
        .expect(200);
      assert.equal(res.headers['x-fapi-interaction-id'], id);
    });

    it('replaces a value that is not a UUID with a fresh one', async () => {
      const { app } = buildApp();
      const res = await request(app)
        .get('/health/live')
        .set('x-fapi-interaction-id', '<script>')
        .expect(200);
      assert.match(res.headers['x-fapi-interaction-id']!, /^[0-9a-f-]{36}$/);
    });
  });

  describe('health', () => {
    it('is ready while the database answers', async () => {
      const { app } = buildApp();
      const res = await request(app).get('/health/ready').expect(200);
      assert.deepEqual(res.body, { status: 'ready', checks: { database: 'ok' } });
    });

    it('is not ready, naming the failing check, when the database does not answer', async () => {
      const { app } = buildApp(async () => {
        throw new Error('connection refused');
      });
      const res = await request(app).get('/health/ready').expect(503);
      assert.deepEqual(res.body, {
        status: 'not_ready',
        checks: { database: 'failing: connection refused' },
      });
      await request(app).get('/health/live').expect(200);
    });
  });

  describe('metrics', () => {
    it('counts requests by route template, never by raw URL', async () => {
      const { app } = buildApp();
      await request(app).get('/things/42').expect(200);
      await request(app).get('/things/43?colour=red').expect(400);
      const text = (await request(app).get('/metrics').expect(200)).text;
      assert.match(
        text,
        /http_requests_total\{route="\/things\/:id",method="GET",status="200",service="test-service"\} 1/,
      );
      assert.match(
        text,
        /http_requests_total\{route="\/things\/:id",method="GET",status="400",service="test-service"\} 1/,
      );
      assert.doesNotMatch(text, /things\/42/);
      assert.match(text, /process_cpu_user_seconds_total/);
    });
  });

  describe('internal credential', () => {
    it('refuses a call without the credential or with a wrong one', async () => {
      const { app } = buildApp();
      const none = await request(app).get('/private').expect(401);
      assert.equal(none.body.code, 'unauthorized');
      await request(app).get('/private').set(INTERNAL_HEADERS.credential, 's3cre').expect(401);
      await request(app)
        .get('/private')
        .set(INTERNAL_HEADERS.credential, 's3cret')
        .expect(200, { ok: true });
    });
  });
});
