import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { createServer } from 'node:http';
import { ConfigError } from './config.js';

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

/** Listens on `host:port` (port 0 picks a free port). */
export async function listen(
  handler: RequestListener,
  port: number,
  host: string,
): Promise<RunningServer> {
  const server = createServer(handler);
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
        server.close(() => {
          clearTimeout(force);
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
