import { performance } from 'node:perf_hooks';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { FLAT_LINE_REDACTION } from './logger.js';

/** Probes and scrapes come every few seconds and say nothing about traffic: not logged. */
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** A value of the access-log line: flat, so the line's redaction sees every field. */
export type AccessLogValue = string | number | boolean | undefined;

/**
 * What a service adds to a request's access-log line: only what is safe to log, as flat fields
 * (a field named like a credential is redacted).
 */
export type AccessLogFields = (req: Request, res: Response) => Record<string, AccessLogValue>;

/**
 * One structured line per request, written when the response is done (or the connection
 * closed before it was): interaction id, method, path without the query (which may carry
 * identifiers), status, milliseconds, and the fields the service adds. Headers and bodies are
 * never logged, so no token, proof, password or account number can reach the log by accident.
 * A 5xx is logged at error level, a request the caller abandoned at warn, a success on a
 * `quietWhenOk` path at debug. Written here instead of with pino-http, which builds a child
 * logger per request: on the gateway that was a tenth of its CPU per call (bench/gateway.ts).
 */
export function accessLog(
  logger: Logger,
  fields?: AccessLogFields,
  /** Paths whose successful answers are logged at debug (see `ServiceAppOptions`). */
  quietWhenOk: ReadonlySet<string> = new Set(),
): RequestHandler {
  // Lines made here are flat but for req and res, whose fields are fixed below.
  const lines = logger.child({}, { redact: FLAT_LINE_REDACTION });
  return (req, res, next) => {
    const path = req.originalUrl.split('?', 1)[0]!;
    if (QUIET_PATHS.has(path)) {
      next();
      return;
    }
    const started = performance.now();
    res.once('close', () => {
      // A caller that went away before the answer was sent is not a completed request.
      const aborted = !res.writableFinished;
      let extra: Record<string, AccessLogValue> = {};
      try {
        extra = fields?.(req, res) ?? {};
      } catch (error) {
        logger.error({ err: error }, 'access-log fields failed');
      }
      const line = {
        ...extra,
        req: { id: res.locals.interactionId as string, method: req.method, path },
        res: { status: res.statusCode },
        responseTime: Math.round(performance.now() - started),
        ...(aborted ? { aborted: true } : {}),
      };
      if (res.statusCode >= 500) lines.error(line, 'request errored');
      else if (aborted) lines.warn(line, 'request aborted');
      else if (res.statusCode < 400 && quietWhenOk.has(path))
        lines.debug(line, 'request completed');
      else lines.info(line, 'request completed');
    });
    next();
  };
}
