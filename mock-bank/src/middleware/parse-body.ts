import { ApiError } from '@bund/service-kit';
import type { z } from '@bund/service-kit';

/**
 * Parses a JSON body against a strict object schema. A body that is not an object is a 400
 * malformed_body; a missing, invalid or unknown field is a 400 naming the field as a JSON
 * pointer (`/username`).
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'malformed_body', 'The request body must be a JSON object.');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => {
    // An unknown key is reported once for the object; name each key instead.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const path = [...issue.path, ...(key === undefined ? [] : [key])].map(String);
      const pointer = `/${path.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
      return {
        parameter: pointer,
        detail: key === undefined ? issue.message : 'is not a known field',
      };
    });
  });
  const first = issues[0]!;
  const unknown = result.error.issues[0]?.code === 'unrecognized_keys';
  throw new ApiError(
    400,
    unknown ? 'unknown_parameter' : 'invalid_parameter',
    `${first.parameter.slice(1)}: ${first.detail}`,
    issues,
  );
}
