import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { listOperations, loadApiDocuments } from '@bund/specs';
import type { OperationEntry } from '@bund/specs';

/*
 * Checks responses against specs/: the status must be documented for the operation, and the
 * body must match the documented schema of its content type (ajv, JSON Schema 2020-12).
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
export const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const validators = new WeakMap<object, ValidateFunction>();

/** A compiled validator for a (dereferenced) schema, compiled once. */
export function validatorFor(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** What of a response (supertest's, or {@link fromFetch}) the check reads. */
export interface CheckedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

/** A fetch Response, read into the shape {@link assertDocumented} checks. */
export async function fromFetch(response: Response): Promise<CheckedResponse> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: text && /json/.test(type) ? JSON.parse(text) : {},
    text,
  };
}

/** Asserts that a response is documented for the operation and its body matches the schema. */
export function assertDocumented(entry: OperationEntry, res: CheckedResponse): void {
  const id = entry.operation.operationId;
  const responses = entry.operation.responses;
  const documented =
    responses[String(res.status)] ?? responses[`${String(res.status)[0]}XX`] ?? responses.default;
  assert.ok(
    documented,
    `${id}: status ${res.status} is not documented (body: ${res.text.slice(0, 300)})`,
  );
  assert.ok(
    res.headers['x-fapi-interaction-id'],
    `${id}: no x-fapi-interaction-id on the response`,
  );
  if (!documented.content) {
    assert.equal(res.text, '', `${id}: ${res.status} is documented without a body`);
    return;
  }
  const contentType = String(res.headers['content-type'] ?? '').split(';')[0]!;
  const media = documented.content[contentType];
  assert.ok(
    media,
    `${id}: ${res.status} answered ${contentType}, documented: ${Object.keys(documented.content).join(', ')}`,
  );
  assert.ok(media.schema, `${id}: ${res.status} ${contentType} has no schema`);
  const validate = validatorFor(media.schema);
  const valid = validate(res.body);
  assert.ok(
    valid,
    `${id}: ${res.status} body breaks the schema: ${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 500)}`,
  );
}

/** Every operation of specs/ (internal ones included), by operationId. */
export async function operationsById(): Promise<Map<string, OperationEntry>> {
  const operations = listOperations(await loadApiDocuments({ internal: true }));
  return new Map(operations.map((entry) => [entry.operation.operationId, entry]));
}
