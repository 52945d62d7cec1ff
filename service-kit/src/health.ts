import { Router } from 'express';

/** A readiness check: resolves when the dependency answers, rejects otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface HealthOptions {
  /** Checks run by `/health/ready`, by name (for example `database`): all must pass. */
  checks: Record<string, ReadinessCheck>;
  /**
   * Checks reported beside them that do not make the service unready: a dependency only some
   * calls need. A failing one makes the answer 200 `degraded`, naming it.
   */
  degradedBy?: Record<string, ReadinessCheck>;
  /** True once shutdown has begun: the service stops reporting ready so traffic drains. */
  isShuttingDown: () => boolean;
  /**
   * Name each check and why it fails in the answer (default). Off where the callers are not
   * operators: a failing check's reason can name internal addresses.
   */
  showChecks?: boolean;
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
 * required check passes and the service is not shutting down, 503 naming the failed checks
 * otherwise. A failing `degradedBy` check leaves it 200, with status `degraded`.
 */
export function healthRouter({
  checks,
  degradedBy = {},
  showChecks = true,
  isShuttingDown,
  timeoutMs = 2000,
}: HealthOptions): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  const run = async (named: Record<string, ReadinessCheck>) => {
    const results: Record<string, string> = {};
    await Promise.all(
      Object.entries(named).map(async ([name, check]) => {
        try {
          await withTimeout(check, timeoutMs);
          results[name] = 'ok';
        } catch (error) {
          results[name] = `failing: ${(error as Error).message}`;
        }
      }),
    );
    return results;
  };
  const allOk = (results: Record<string, string>) =>
    Object.values(results).every((r) => r === 'ok');
  router.get('/health/ready', async (_req, res) => {
    const [required, optional] = await Promise.all([run(checks), run(degradedBy)]);
    const ready = !isShuttingDown() && allOk(required);
    const status = isShuttingDown()
      ? 'shutting_down'
      : !ready
        ? 'not_ready'
        : allOk(optional)
          ? 'ready'
          : 'degraded';
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(showChecks ? { status, checks: { ...required, ...optional } } : { status });
  });
  return router;
}
