import { connect } from 'node:net';

/** Where the Redis tests look for a server; `TEST_REDIS_URL` overrides it. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a Redis server answers PING at `url` within 2 s. */
function pings(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * Resolves to the Redis URL when a server answers there, or undefined so the suite can skip
 * with a reason. In CI (CI=true) Redis is part of the machine, so its absence fails the run
 * instead of silently skipping the shared-cache path.
 */
export async function reachableRedis(): Promise<string | undefined> {
  if (await pings(TEST_REDIS_URL)) return TEST_REDIS_URL;
  if (process.env.CI === 'true') {
    throw new Error(`Redis is required in CI but does not answer PING at ${TEST_REDIS_URL}`);
  }
  console.warn(
    `      Redis does not answer at ${TEST_REDIS_URL}; skipping the tests of gateway replicas sharing it`,
  );
  return undefined;
}
