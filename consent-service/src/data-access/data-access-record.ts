import { ApiError, outcomeOfStatus, z } from '@bund/service-kit';
import type { ProblemItem } from '@bund/service-kit';

/** Most records one delivery may carry (`POST /internal/data-access`). */
const MAX_RECORDS_PER_BATCH = 500;
/** Most resources one record may name (a TPP reads a handful of accounts per call). */
const MAX_RESOURCES_PER_RECORD = 50;

const recordSchema = z
  .strictObject({
    recordId: z.uuid('must be a UUID'),
    interactionId: z.string().min(1).max(64),
    consentId: z.string().min(1).max(64),
    clientId: z.string().min(1).max(255),
    operation: z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'must be an operationId (camelCase)'),
    resources: z.array(z.string().min(1).max(128)).max(MAX_RESOURCES_PER_RECORD),
    status: z.int().min(200).max(599),
    outcome: z.enum(['allowed', 'refused', 'failed']),
    at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }),
  })
  .superRefine((record, ctx) => {
    const expected = outcomeOfStatus(record.status);
    if (expected !== record.outcome) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcome'],
        message: expected
          ? `must be ${expected} for status ${record.status}`
          : `status ${record.status} is not a recorded outcome (2xx, 4xx or 5xx)`,
      });
    }
  });

const batchSchema = z.strictObject({
  records: z.array(recordSchema).min(1).max(MAX_RECORDS_PER_BATCH),
});

/** One resource call the gateway served under a consent, as it reports it. */
export type DataAccessRecord = z.infer<typeof recordSchema>;

/** A JSON pointer (RFC 6901) to the part of the body an issue is about. */
function pointer(path: readonly PropertyKey[]): string {
  return path
    .map((part) => `/${String(part).replaceAll('~', '~0').replaceAll('/', '~1')}`)
    .join('');
}

/**
 * Parses a delivery of data-access records. Anything wrong with any record refuses the whole
 * batch with a 400 naming the field (a JSON pointer such as `/records/3/outcome`), so nothing
 * of a bad batch is stored.
 */
export function parseDataAccessBatch(body: unknown): DataAccessRecord[] {
  const result = batchSchema.safeParse(body);
  if (result.success) return result.data.records;
  const problems: ProblemItem[] = result.error.issues
    .slice(0, 20)
    .map((issue) =>
      issue.code === 'unrecognized_keys'
        ? { parameter: pointer([...issue.path, issue.keys[0]!]), detail: 'unknown field' }
        : { parameter: pointer(issue.path) || '(body)', detail: issue.message },
    );
  const first = problems[0]!;
  throw new ApiError(400, 'invalid_parameter', `${first.parameter}: ${first.detail}`, problems);
}
