import assert from 'node:assert/strict';

/**
 * Polls `check` every 50 ms until it returns something truthy, and returns that; fails saying
 * what was awaited when `ms` pass first. For what happens off the request path (probes, feeds,
 * batched deliveries).
 */
export async function eventually<T>(what: string, check: () => Promise<T>, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) assert.fail(`${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
