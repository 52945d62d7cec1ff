import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * What a TPP's page may send: the token and its proof, the body's type, and the FAPI headers
 * the gateway reads or passes on to the bank.
 */
const ALLOWED_HEADERS = [
  'authorization',
  'dpop',
  'content-type',
  'accept',
  'accept-language',
  'x-fapi-interaction-id',
  'x-fapi-auth-date',
  'x-fapi-customer-ip-address',
  'x-customer-user-agent',
];

/** What a TPP's page may read besides the CORS-safelisted headers: tracing and retry advice. */
const EXPOSED_HEADERS = ['x-fapi-interaction-id', 'www-authenticate', 'retry-after'];

/**
 * CORS for the browser origins an operator configured (`CORS_ORIGINS`), on the `cors`
 * package: such a page's preflight is answered, and its calls — refused ones too, so the page
 * can read why — carry `Access-Control-Allow-Origin` for it. Any other origin gets no CORS
 * header at all: the request goes on as if the page had not said where it came from, and the
 * browser keeps the answer from it. Tokens travel in headers, never cookies, so credentials
 * mode is never allowed.
 */
export function corsPolicy(origins: readonly string[], methods: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin, callback) =>
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: [...methods],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
}
