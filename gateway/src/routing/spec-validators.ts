import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Route } from './route-table.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** One problem with a request or response, named. */
export interface ValidationProblem {
  parameter: string;
  detail: string;
}

interface RouteValidators {
  path: ValidateFunction;
  query: ValidateFunction;
  /** By status code (or `default`). */
  responses: Map<string, ValidateFunction>;
}

/**
 * Request and response validators compiled from the specs once, at start, with Ajv's JSON
 * Schema 2020-12 dialect (the dialect of OpenAPI 3.1). openapi-backend was the first choice,
 * but it checks documents against the OpenAPI 3.0 schema and compiles with draft-07 Ajv, which
 * refuses valid 3.1 schemas; Ajv on its own validates them exactly.
 */
export class SpecValidators {
  private readonly byRoute = new Map<Route, RouteValidators>();

  constructor(routes: readonly Route[]) {
    // Parameters arrive as strings: coerce them for checking ("5" is a valid integer limit).
    const params = addFormats(new Ajv2020({ strict: false, allErrors: false, coerceTypes: true }));
    const bodies = addFormats(new Ajv2020({ strict: false, allErrors: false }));
    for (const route of routes) {
      const of = (where: 'path' | 'query') => {
        const list = route.entry.parameters.filter((p) => p.in === where);
        return params.compile({
          type: 'object',
          properties: Object.fromEntries(list.map((p) => [p.name, p.schema ?? {}])),
          required: list.filter((p) => p.required || where === 'path').map((p) => p.name),
        });
      };
      const responses = new Map<string, ValidateFunction>();
      for (const [status, response] of Object.entries(route.operation.responses)) {
        const media =
          response.content?.['application/json'] ?? response.content?.['application/problem+json'];
        if (media?.schema) responses.set(status, bodies.compile(media.schema));
      }
      this.byRoute.set(route, { path: of('path'), query: of('query'), responses });
    }
  }

  /** Problems with a request's path parameters and query (empty when valid). */
  request(
    route: Route,
    params: Record<string, string>,
    query: Record<string, string>,
  ): ValidationProblem[] {
    const validators = this.byRoute.get(route)!;
    // Copies: coercion rewrites what it checks, and the backend must get what the TPP sent.
    if (!validators.path({ ...params })) return describe(validators.path.errors);
    if (!validators.query({ ...query })) return describe(validators.query.errors);
    return [];
  }

  /** Problems with a backend's response body for `status` (empty when valid). */
  response(route: Route, body: unknown, status: number): ValidationProblem[] {
    const { responses } = this.byRoute.get(route)!;
    const validate =
      responses.get(String(status)) ??
      responses.get(`${String(status)[0]}XX`) ??
      responses.get('default');
    if (!validate)
      return [{ parameter: 'status', detail: `${status} is not a documented response` }];
    return validate(body) ? [] : describe(validate.errors);
  }
}

function describe(errors: ErrorObject[] | null | undefined): ValidationProblem[] {
  return (errors ?? []).map((error) => {
    const missing = error.params.missingProperty as string | undefined;
    const parameter =
      missing ?? (error.instancePath.split('/').filter(Boolean).join('.') || '(request)');
    return { parameter, detail: detailOf(error) };
  });
}

/** ajv's message, with what to send instead where ajv leaves it out. */
function detailOf(error: ErrorObject): string {
  const allowed = error.params.allowedValues as unknown[] | undefined;
  if (error.keyword === 'enum' && allowed)
    return `must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
  return error.message ?? 'is invalid';
}
