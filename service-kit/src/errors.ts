import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * Every error code a Bund API answers with. Clients switch on these, never on message text, so
 * a code once published keeps its meaning.
 */
export type ErrorCode =
  | 'invalid_parameter'
  | 'unknown_parameter'
  | 'malformed_body'
  | 'malformed_request'
  | 'headers_too_large'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error'
  | 'service_unavailable'
  | 'invalid_token'
  | 'invalid_dpop_proof'
  | 'consent_revoked'
  | 'consent_expired'
  | 'consent_not_authorised'
  | 'consent_status_unknown'
  | 'permission_missing'
  | 'account_not_consented'
  | 'enterprise_not_consented'
  | 'rate_limited'
  | 'upstream_error'
  | 'upstream_unavailable'
  | 'upstream_timeout';

/** One invalid input, named. */
export interface ProblemItem {
  /** Where the problem is: a query or path parameter name, or a JSON pointer into the body. */
  parameter: string;
  detail: string;
}

/** An error meant for the client: it becomes an `application/problem+json` response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    /** Human-readable explanation shown to the client. */
    readonly detail: string,
    readonly errors?: readonly ProblemItem[],
    /** Response headers the error needs, e.g. `WWW-Authenticate` or `Retry-After`. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** A 400 naming one bad parameter. */
  static invalidParameter(parameter: string, detail: string): ApiError {
    return new ApiError(400, 'invalid_parameter', `${parameter}: ${detail}`, [
      { parameter, detail },
    ]);
  }

  static notFound(detail = 'The requested resource does not exist.'): ApiError {
    return new ApiError(404, 'not_found', detail);
  }
}

const TITLES: Record<ErrorCode, string> = {
  invalid_parameter: 'Invalid parameter',
  unknown_parameter: 'Unknown parameter',
  malformed_body: 'Malformed request body',
  malformed_request: 'Malformed request',
  headers_too_large: 'Request headers too large',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  unauthorized: 'Unauthorized',
  invalid_credentials: 'Invalid credentials',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  internal_error: 'Internal error',
  service_unavailable: 'Service unavailable',
  invalid_token: 'Invalid access token',
  invalid_dpop_proof: 'Invalid DPoP proof',
  consent_revoked: 'Consent revoked',
  consent_expired: 'Consent expired',
  consent_not_authorised: 'Consent not authorised',
  consent_status_unknown: 'Consent status unknown',
  permission_missing: 'Permission not granted',
  account_not_consented: 'Account not consented',
  enterprise_not_consented: 'Enterprise not consented',
  rate_limited: 'Too many requests',
  upstream_error: 'Bad gateway',
  upstream_unavailable: 'Upstream unavailable',
  upstream_timeout: 'Upstream timeout',
};

/** Where the error guide is on the gateway, which serves the developer docs. */
export const ERROR_GUIDE_PATH = '/docs/errors';

/**
 * The RFC 9457 body for an error; `type` points at the error's entry in the developer docs:
 * `errorGuide` is that page's URL, relative by default (right for the gateway, which serves it;
 * a service answering TPPs on another origin passes the gateway's absolute URL).
 */
export function problemBody(
  error: ApiError,
  interactionId?: string,
  errorGuide: string = ERROR_GUIDE_PATH,
) {
  return {
    type: `${errorGuide}#${error.code}`,
    title: TITLES[error.code],
    status: error.status,
    code: error.code,
    detail: error.detail,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(interactionId ? { interactionId } : {}),
  };
}

/**
 * Maps errors thrown by body parsers (which carry `type` and `status`) to ApiErrors; anything
 * else that is not an ApiError is our fault and becomes a generic 500.
 */
function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  const parserError = error as { type?: string; status?: number; limit?: number };
  switch (parserError.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'malformed_body', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new ApiError(
        413,
        'payload_too_large',
        `The request body exceeds ${parserError.limit ?? 'the'} bytes.`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(
        415,
        'unsupported_media_type',
        'The request body encoding is not supported.',
      );
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ApiError(400, 'malformed_body', 'The request body could not be read.');
    default:
      // URIError from decoding a malformed percent-encoded path parameter.
      if (error instanceof URIError) {
        return new ApiError(
          400,
          'invalid_parameter',
          'The request path is not valid percent-encoding.',
        );
      }
      return undefined;
  }
}

/**
 * Sends `error` as `application/problem+json`, its `type` under the app's error guide
 * (`createServiceApp`'s `errorGuide`; the relative path by default).
 */
export function sendProblem(res: Parameters<RequestHandler>[1], error: ApiError): void {
  const interactionId = res.locals.interactionId as string | undefined;
  const errorGuide = res.app?.locals.errorGuide as string | undefined;
  res
    .status(error.status)
    .type('application/problem+json')
    .set('Cache-Control', 'no-store')
    .set(error.headers ?? {})
    .send(JSON.stringify(problemBody(error, interactionId, errorGuide)));
}

/** The last handler of every app: 404 for anything no route answered. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(ApiError.notFound(`No resource at ${req.method} ${req.path}.`));
};

/**
 * The one error handler of a service (four arguments, so express treats it as one). Client
 * errors keep their code and detail; anything else is logged with its cause and answered as a
 * generic `internal_error` so nothing internal leaks.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const apiError = toApiError(error);
    if (apiError) {
      sendProblem(res, apiError);
      return;
    }
    logger.error({ err: error, method: req.method, route: req.route?.path }, 'unhandled error');
    sendProblem(
      res,
      new ApiError(500, 'internal_error', 'An internal error occurred; it has been logged.'),
    );
  };
}
