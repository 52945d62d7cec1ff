import { Router } from 'express';

/** A readiness check: resolves when the dependency answers, rejects otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface HealthOptions {
  /** Checks run by `/health/ready`, by name (for example `database`). */
  checks: Record<string, ReadinessCheck>;
  /** True once shutdown has begun: the service stops reporting ready so traffic drains. */
  isShuttingDown: () => boolean;
  /** How long one check may take before it counts as failed. */
  timeoutMs?: number;
}

function withTimeout(check: ReadinessCheck, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * `/health/live` answers while the process runs; `/health/ready` answers 200 only when every
 * check passes and the service is not shutting down, 503 naming the failed checks otherwise.
 */
export function healthRouter({ checks, isShuttingDown, timeoutMs = 2000 }: HealthOptions): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const results: Record<string, string> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check, timeoutMs);
          results[name] = 'ok';
        } catch (error) {
          results[name] = `failing: ${(error as Error).message}`;
        }
      }),
    );
    const ready = !isShuttingDown() && Object.values(results).every((r) => r === 'ok');
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: ready ? 'ready' : isShuttingDown() ? 'shutting_down' : 'not_ready',
        checks: results,
      });
  });
  return router;
}
