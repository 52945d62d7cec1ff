import assert from 'node:assert/strict';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
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

/** What the server answers to `raw`, sent as is on a new connection, until it closes it. */
function sendRaw(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
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

describe('service-kit: requests Node refuses before the app sees them', () => {
  it('answers problem+json with an interaction id: 431 for headers over 16 kB, 400 for broken HTTP', async () => {
    let reached = 0;
    const app = appOf((req, res) => {
      if (req.path === '/slow') {
        res.writeHead(200, { 'content-type': 'text/plain' }).write('begun ');
        setTimeout(() => res.end('done'), 300);
        return;
      }
      reached += 1;
      res.sendStatus(204);
    });
    app.locals.errorGuide = 'http://localhost:8080/docs/errors';
    const running = await listen(app, 0, '127.0.0.1');
    try {
      const cases = [
        {
          raw: `GET /accounts HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
          status: 431,
          code: 'headers_too_large',
        },
        { raw: 'GET /accounts HTTP/1.1\r\nHost x\r\n\r\n', status: 400, code: 'malformed_request' },
      ];
      for (const { raw, status, code } of cases) {
        const answer = await sendRaw(running.url, raw);
        const [head, body] = answer.split('\r\n\r\n') as [string, string];
        assert.match(head, new RegExp(`^HTTP/1.1 ${status} `));
        assert.match(head, /\r\ncontent-type: application\/problem\+json\r\n/i);
        const id = /\r\nx-fapi-interaction-id: ([0-9a-f-]{36})\r\n/i.exec(head)?.[1];
        assert.ok(id, head);
        const problem = JSON.parse(body) as Record<string, unknown>;
        assert.equal(problem.type, `http://localhost:8080/docs/errors#${code}`);
        assert.equal(problem.status, status);
        assert.equal(problem.code, code);
        assert.equal(problem.interactionId, id);
        assert.ok(problem.title && problem.detail, body);
      }
      assert.equal(reached, 0);
      // A refusal is never written into an answer under way on the connection (pipelining).
      const { hostname, port } = new URL(running.url);
      const corrupted = await new Promise<string>((resolve, reject) => {
        let answer = '';
        const socket = connect(Number(port), hostname, () =>
          socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n'),
        );
        socket.on('data', (chunk: Buffer) => {
          answer += chunk.toString();
          // The slow answer has begun: now a request Node cannot parse, on the same connection.
          if (answer.includes('begun')) socket.write('GET /x HTTP/1.1\r\nHost x\r\n\r\n');
        });
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
      assert.match(corrupted, /^HTTP\/1.1 200 /);
      assert.doesNotMatch(corrupted, /malformed_request|HTTP\/1.1 400/);
      // And the server goes on serving.
      assert.equal((await fetch(`${running.url}/accounts`)).status, 204);
    } finally {
      await running.close(1000);
    }
  });
});
