import type { ParsedQs } from 'qs';
import { z } from 'zod';
import { ApiError } from './errors.js';

export { z };

/**
 * Compiled object schemas by shape: building a zod object is many times the cost of parsing
 * with it, and the routes pass the same module-level shapes on every call.
 */
const compiled = new WeakMap<z.ZodRawShape, z.ZodObject>();

function objectOf<T extends z.ZodRawShape>(shape: T): z.ZodObject<T> {
  let schema = compiled.get(shape);
  if (!schema) compiled.set(shape, (schema = z.object(shape)));
  return schema as z.ZodObject<T>;
}

/**
 * Parses a query string against a strict object schema: an unknown parameter, a parameter
 * given twice, or an invalid value is a 400 naming the parameter. Pass a shape declared once
 * (a module constant), not a literal per call: its compiled schema is kept by identity.
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
  // Every given parameter was refused above, so an empty shape has nothing left to parse.
  if (Object.keys(shape).length === 0) return {} as z.infer<z.ZodObject<T>>;
  return parseWith(objectOf(shape), raw);
}

/** Parses path parameters (or any flat object) against a schema, naming the failing field. */
export function parseParams<T extends z.ZodRawShape>(
  shape: T,
  params: unknown,
): z.infer<z.ZodObject<T>> {
  return parseWith(objectOf(shape), params);
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
