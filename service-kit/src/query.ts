import type { ParsedQs } from 'qs';
import { z } from 'zod';
import { ApiError } from './errors.js';

export { z };

/**
 * Parses a query string against a strict object schema: an unknown parameter, a parameter
 * given twice, or an invalid value is a 400 naming the parameter.
 */
export function parseQuery<T extends z.ZodRawShape>(
  shape: T,
  query: unknown,
): z.infer<z.ZodObject<T>> {
  const raw = (query ?? {}) as ParsedQs;
  for (const [name, value] of Object.entries(raw)) {
    if (!(name in shape)) {
      const known = Object.keys(shape);
      throw new ApiError(
        400,
        'unknown_parameter',
        `Unknown query parameter "${name}". Known: ${known.join(', ') || 'none'}.`,
        [{ parameter: name, detail: 'unknown parameter' }],
      );
    }
    if (typeof value !== 'string') {
      throw ApiError.invalidParameter(name, 'must be given once, as a plain value');
    }
  }
  return parseWith(z.object(shape), raw);
}

/** Parses path parameters (or any flat object) against a schema, naming the failing field. */
export function parseParams<T extends z.ZodRawShape>(
  shape: T,
  params: unknown,
): z.infer<z.ZodObject<T>> {
  return parseWith(z.object(shape), params);
}

function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    parameter: issue.path.map(String).join('.') || '(query)',
    detail: issue.message,
  }));
  const first = issues[0]!;
  throw new ApiError(400, 'invalid_parameter', `${first.parameter}: ${first.detail}`, issues);
}

/** Calendar date `YYYY-MM-DD` that exists (2024-02-30 is refused). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'is not a calendar date');
