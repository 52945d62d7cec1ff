import type { RequestHandler } from 'express';
import { ApiError } from '@bund/service-kit';
import type { RouteTable } from '../routing/route-table.js';

/**
 * Step 1: which operation of the specs this request is. Unknown paths are 404, known paths
 * with another method 405 (with `Allow`); nothing unmatched goes further.
 */
export function resolveOperation(routes: RouteTable): RequestHandler {
  return (req, res, next) => {
    const match = routes.match(req.method, req.path);
    if (!match.route) {
      if (match.status === 405) {
        throw new ApiError(
          405,
          'method_not_allowed',
          `${req.method} is not allowed on ${req.path}; allowed: ${match.allowed.join(', ')}.`,
          undefined,
          {
            Allow: match.allowed.join(', '),
          },
        );
      }
      throw ApiError.notFound(
        `No API operation at ${req.method} ${req.path}. See /docs for the available APIs.`,
      );
    }
    res.locals.operationId = match.route.operationId;
    res.locals.call = { route: match.route, params: match.params };
    next();
  };
}
