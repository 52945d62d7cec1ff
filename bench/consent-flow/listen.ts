import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Listens on a free port of 127.0.0.1; the URL names it `localhost` (the issuer's host). */
export async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  // Flows reuse connections; a short keep-alive would make the client reconnect mid-run.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Requests answered on one route and the server time they took, summed. */
export type RouteTimes = Record<string, { count: number; totalMs: number }>;

/** `/interaction/AbC…/login` → `/interaction/:uid/login`; ids never become keys. */
function routeOf(method: string | undefined, url: string | undefined): string {
  const path = (url ?? '').split('?')[0]!.replace(/^\/(interaction|auth)\/[\w-]+/, '/$1/:uid');
  return `${method ?? '?'} ${path}`;
}

/**
 * Wraps a request handler to time each request from its arrival to the end of its response,
 * by route: the server's side of every step of a flow, waiting (database, bank) included.
 */
export function timeRoutes(handler: RequestListener) {
  let times: RouteTimes = {};
  const timed: RequestListener = (req, res) => {
    const start = performance.now();
    res.once('finish', () => {
      const route = routeOf(req.method, req.url);
      const entry = (times[route] ??= { count: 0, totalMs: 0 });
      entry.count += 1;
      entry.totalMs += performance.now() - start;
    });
    handler(req, res);
  };
  return { handler: timed, times: () => structuredClone(times), reset: () => (times = {}) };
}
