import type { RequestHandler } from 'express';

/**
 * Names the operation a route serves (its spec operationId). Mounted first on a route so that
 * metrics and logs use the name even when a later step refuses the call.
 */
export function operation(operationId: string): RequestHandler {
  return (_req, res, next) => {
    res.locals.operationId = operationId;
    next();
  };
}
