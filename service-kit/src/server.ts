import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse, STATUS_CODES, createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { ConfigError } from './config.js';
import { ApiError, problemBody } from './errors.js';

export interface RunningServer {
  server: Server;
  /** `http://host:port` the server listens on. */
  url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to `timeoutMs`), then
   * closes whatever is left.
   */
  close(timeoutMs: number): Promise<void>;
}

type MessageClasses = {
  IncomingMessage: typeof IncomingMessage;
  ServerResponse: typeof ServerResponse;
};
const messageClasses = new WeakMap<Express, MessageClasses>();
/** Servers whose graceful close has begun: their answers close the connection after them. */
const closing = new WeakSet<Server>();

/**
 * Request and response classes whose instances are born with the prototypes express gives them.
 *
 * Express re-parents every request and response it handles (`Object.setPrototypeOf(req,
 * app.request)` in `app.handle`). Measured under load on Node 20, that costs twice:
 * - V8 keeps a re-parented pair, and all a call hangs on it, alive through young-generation
 *   collections until the next full one: the gateway promoted 11.5% of the bytes it allocated
 *   (2.1% without), and its scavenges took 2.4 ms instead of 1.4;
 * - the gateway used ~330 µs of CPU per call instead of ~260 (`npm run bench`).
 *
 * Subclasses of Node's own classes keep Node's object layout; their prototypes, put in front of
 * the app's, become `app.request` and `app.response`, so express's `setPrototypeOf` finds the
 * prototype already set and changes nothing. (Constructing Node's objects with the app's
 * prototype directly, by `Reflect.construct`, also stopped the promotion, but gave them a layout
 * that cost more CPU per call than the re-parenting had.)
 */
function messageClassesOf(app: Express): MessageClasses {
  let classes = messageClasses.get(app);
  if (!classes) {
    class Request extends IncomingMessage {}
    Object.setPrototypeOf(Request.prototype, app.request);
    app.request = Request.prototype as typeof app.request;
    class Response extends ServerResponse {
      // Every answer's head passes here (express's send and end too, through _implicitHeader).
      override writeHead(...args: unknown[]): this {
        // Once closing began, a client is told not to send more on this connection (it is
        // closed after the answer), whether its call came before or after.
        const server = (this.socket as { server?: Server } | null)?.server;
        if (server && closing.has(server)) this.shouldKeepAlive = false;
        return Reflect.apply(super.writeHead, this, args) as this;
      }
    }
    Object.setPrototypeOf(Response.prototype, app.response);
    app.response = Response.prototype as unknown as typeof app.response;
    classes = { IncomingMessage: Request, ServerResponse: Response as typeof ServerResponse };
    messageClasses.set(app, classes);
  }
  return classes;
}

/**
 * Answers a request Node's parser refused (headers over 16 kB, a malformed request line or
 * chunked body) with a problem+json body and an interaction id, like every other refusal;
 * Node's own answer is a bare status line. As Node does, it answers only when no response is
 * under way on the connection (pipelined calls: writing into one would corrupt it), then drops
 * the connection.
 */
function refuseUnparsable(app: Express, error: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
  if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
    socket.write(refusalFor(app, error));
  }
  socket.destroy();
}

/** The raw HTTP answer to a request Node's parser refused. */
function refusalFor(app: Express, error: NodeJS.ErrnoException): string {
  // The client sent too slowly: nothing to explain to it beyond Node's usual answer.
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';
  const refusal =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError(431, 'headers_too_large', 'The request headers exceed 16 kB in all.')
      : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
        ? new ApiError(
            413,
            'payload_too_large',
            'The request body’s chunk extensions are too large.',
          )
        : new ApiError(400, 'malformed_request', 'The request is not valid HTTP/1.1.');
  const id = randomUUID();
  const body = JSON.stringify(
    problemBody(refusal, id, app.locals.errorGuide as string | undefined),
  );
  return (
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n` +
    'Content-Type: application/problem+json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `x-fapi-interaction-id: ${id}\r\n` +
    'Cache-Control: no-store\r\n' +
    `Date: ${new Date().toUTCString()}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/** Serves `app` on `host:port` (port 0 picks a free port). */
export async function listen(app: Express, port: number, host: string): Promise<RunningServer> {
  const server = createServer(messageClassesOf(app), app);
  server.on('clientError', (error, socket) => refuseUnparsable(app, error, socket));
  // Keep-alive longer than typical proxies' idle timeout so they close first, not us.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
        force.unref();
        closing.add(server);
        // A connection that answered before closing began stays open (kept alive) after its
        // answer: close it once idle, so that shutdown ends with the last answer, not at the
        // timeout.
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        idle.unref();
        server.close(() => {
          clearTimeout(force);
          clearInterval(idle);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/**
 * Runs a service's `start` as the process's main: a start failure (invalid configuration,
 * port taken, database unreachable) is printed plainly and exits 1; SIGINT or SIGTERM stops the
 * service gracefully and exits 0.
 */
export async function runService(
  name: string,
  start: () => Promise<{ url: string; operatorUrl?: string; stop(): Promise<void> }>,
): Promise<void> {
  let running: { url: string; operatorUrl?: string; stop(): Promise<void> };
  try {
    running = await start();
  } catch (error) {
    const message =
      error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`${name} failed to start: ${message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${name} received ${signal}, shutting down\n`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${name} failed to shut down cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by the launcher (`npm start`): tell it where we listen, and stop when it goes away,
  // even if it was killed outright, so no service is left orphaned.
  if (process.send) {
    const message: ListeningMessage = { type: 'listening', service: name, url: running.url };
    if (running.operatorUrl) message.operatorUrl = running.operatorUrl;
    process.send(message);
    process.on('disconnect', () => stop('launcher disconnect'));
  }
}

/** The message a service started by the launcher sends once it listens. */
export interface ListeningMessage {
  type: 'listening';
  service: string;
  url: string;
  /** Where operators reach the service's metrics and status, when that is another listener. */
  operatorUrl?: string;
}
