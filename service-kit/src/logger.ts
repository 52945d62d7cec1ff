import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/**
 * Paths removed from every log line. Credentials travel in these headers and fields; a log line
 * must never carry them, whoever logs the object.
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.dpop',
  'req.headers["x-bund-internal-credential"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'credential',
  '*.credential',
];

/** A JSON logger for one service; every line names the service. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
