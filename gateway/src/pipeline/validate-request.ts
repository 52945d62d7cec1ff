import type { RequestHandler } from 'express';
import { ApiError } from '@bund/service-kit';
import type { SpecValidators } from '../routing/spec-validators.js';
import { callOf } from './gateway-call.js';

/**
 * Step 5: the request against the operation's spec: no unknown or repeated query parameter,
 * every parameter valid, a body only where the operation takes one. Refused here, a bad
 * request never reaches a backend.
 */
export function validateRequest(validators: SpecValidators): RequestHandler {
  return (req, res, next) => {
    const call = callOf(res);
    const { route } = call;
    const declared = new Set(
      call.route.entry.parameters.filter((p) => p.in === 'query').map((p) => p.name),
    );
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.query as Record<string, unknown>)) {
      if (!declared.has(name)) {
        call.denial = 'request';
        throw new ApiError(
          400,
          'unknown_parameter',
          `Unknown query parameter "${name}". ${route.operationId} takes: ${[...declared].join(', ') || 'none'}.`,
          [{ parameter: name, detail: 'unknown parameter' }],
        );
      }
      if (typeof value !== 'string') {
        call.denial = 'request';
        throw ApiError.invalidParameter(name, 'must be given once, as a plain value');
      }
      query[name] = value;
    }
    const hasBody =
      Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !route.operation.requestBody) {
      call.denial = 'request';
      throw new ApiError(
        415,
        'unsupported_media_type',
        `${route.operationId} takes no request body.`,
      );
    }
    const problems = validators.request(route, call.params, query);
    if (problems.length > 0) {
      call.denial = 'request';
      const first = problems[0]!;
      throw new ApiError(400, 'invalid_parameter', `${first.parameter}: ${first.detail}`, problems);
    }
    call.query = query;
    next();
  };
}
