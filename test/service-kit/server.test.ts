import assert from 'node:assert/strict';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { listen } from '@bund/service-kit';

/** A GET on a kept-alive connection: the body and the `Connection` header of the answer. */
function get(url: string): Promise<{ body: string; connection?: string }> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          agent.destroy();
          resolve({ body, connection: res.headers.connection });
        });
      })
      .on('error', reject);
  });
}

/** An express app whose only route runs `handle`. */
function appOf(handle: express.RequestHandler): express.Express {
  const app = express();
  app.use(handle);
  return app;
}

describe('service-kit: graceful shutdown', () => {
  it('finishes a request in flight, then refuses new connections', async () => {
    const running = await listen(
      appOf((_req, res) => {
        setTimeout(() => res.end('finished'), 300);
      }),
      0,
      '127.0.0.1',
    );
    const inFlight = get(`${running.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const closed = running.close(5000);
    const response = await inFlight;
    assert.equal(response.body, 'finished');
    // The client learns not to send more on this connection (it reconnects, to another replica).
    assert.equal(response.connection, 'close');
    await closed;
    // Done when the last answer was sent, not at the timeout (the connection was kept alive).
    assert.ok(Date.now() - started < 2000, `closed after ${Date.now() - started} ms`);
    await assert.rejects(fetch(`${running.url}/again`));
  });

  it('cuts a request that outlives the shutdown timeout', async () => {
    const running = await listen(
      appOf(() => undefined),
      0,
      '127.0.0.1',
    );
    const hanging = fetch(`${running.url}/never`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await running.close(200);
    assert.ok(Date.now() - started < 2000);
    assert.ok((await hanging) instanceof Error);
  });
});

describe('service-kit: requests and responses of an express app', () => {
  it("are born with the app's prototypes, so express need not re-parent them", async () => {
    const app = appOf((req, res) => {
      res.status(201).json({
        path: req.path,
        accept: req.get('accept'),
        ofApp: req.app === app,
        // Still Node's own kinds of object, for everything that checks.
        node: req instanceof IncomingMessage && res instanceof ServerResponse,
      });
    });
    const expressRequest = app.request;
    const expressResponse = app.response;
    const running = await listen(app, 0, '127.0.0.1');
    const born: unknown[] = [];
    // Before express sees them: the first listener of 'request' is the app.
    running.server.prependListener('request', (req, res) =>
      born.push(Object.getPrototypeOf(req), Object.getPrototypeOf(res)),
    );
    try {
      const response = await fetch(`${running.url}/accounts?x=1`, {
        headers: { accept: 'application/json' },
      });
      assert.equal(response.status, 201);
      assert.deepEqual(await response.json(), {
        path: '/accounts',
        accept: 'application/json',
        ofApp: true,
        node: true,
      });
      assert.equal(born[0], app.request);
      assert.equal(born[1], app.response);
      // The app's own request and response come right behind, unchanged.
      assert.equal(Object.getPrototypeOf(app.request), expressRequest);
      assert.equal(Object.getPrototypeOf(app.response), expressResponse);
    } finally {
      await running.close(1000);
    }
  });
});
