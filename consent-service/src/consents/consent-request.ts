import { loadPermissions } from '@bund/specs';
import { z } from '@bund/service-kit';
import type { ConsentRequest } from './consent-store.js';
import type { ConsentType } from './lifecycle.js';

/** A consent request that cannot be accepted, naming the field at fault. */
export class InvalidConsentRequest extends Error {
  constructor(
    readonly field: string,
    /** What is wrong with the field, without its name. */
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** Limits that apply to every consent. */
export interface ConsentLimits {
  maxDurationDays: number;
}

const permissions = loadPermissions();

/** The permission names of one consent type, from the one vocabulary in specs/permissions.yaml. */
export function permissionsOf(type: ConsentType): string[] {
  return [...permissions.values()].filter((p) => p.consentType === type).map((p) => p.name);
}

const dateTime = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 date-time, e.g. 2027-01-31T00:00:00Z',
});

const accountInformation = z.strictObject({
  type: z.literal('account_information'),
  permissions: z.array(z.string()).min(1, 'must name at least one permission'),
  expirationDateTime: dateTime,
  transactionFromDateTime: dateTime.optional(),
  transactionToDateTime: dateTime.optional(),
});

const creditDataSharing = z.strictObject({
  type: z.literal('credit_data_sharing'),
  permissions: z.array(z.string()).min(1, 'must name at least one permission'),
  purpose: z
    .string()
    .trim()
    .min(1, 'must say why the data is needed')
    .max(200, 'must be at most 200 characters'),
  expirationDateTime: dateTime,
});

const TRANSACTION_READS = ['ReadTransactionsBasic', 'ReadTransactionsDetail'];
const TRANSACTION_DIRECTIONS = ['ReadTransactionsCredits', 'ReadTransactionsDebits'];

/**
 * Checks what a TPP asks for, whether it came through the consent API or as
 * `authorization_details` in a pushed authorization request, and returns the consent to create.
 * Both paths go through here, so both end in the same record.
 */
export function parseConsentRequest(
  input: unknown,
  clientId: string,
  limits: ConsentLimits,
  now = new Date(),
): ConsentRequest {
  const type = (input as { type?: unknown } | null)?.type;
  const schema =
    type === 'account_information'
      ? accountInformation
      : type === 'credit_data_sharing'
        ? creditDataSharing
        : undefined;
  if (!schema)
    throw new InvalidConsentRequest('type', 'must be account_information or credit_data_sharing');
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field =
      issue.path.map(String).join('.') ||
      (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'request');
    throw new InvalidConsentRequest(
      field,
      issue.code === 'unrecognized_keys' ? 'unknown member' : issue.message,
    );
  }
  const request = parsed.data;
  const known = new Set(permissionsOf(request.type));
  const unknown = request.permissions.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw new InvalidConsentRequest(
      'permissions',
      `unknown for ${request.type}: ${unknown.join(', ')}; known: ${[...known].join(', ')}`,
    );
  }
  if (new Set(request.permissions).size !== request.permissions.length) {
    throw new InvalidConsentRequest('permissions', 'must not repeat a permission');
  }
  if (request.type === 'account_information') {
    const reads = request.permissions.some((p) => TRANSACTION_READS.includes(p));
    const directions = request.permissions.some((p) => TRANSACTION_DIRECTIONS.includes(p));
    if (reads !== directions) {
      throw new InvalidConsentRequest(
        'permissions',
        'ReadTransactionsBasic or ReadTransactionsDetail goes with ReadTransactionsCredits and/or ReadTransactionsDebits, and neither makes sense alone',
      );
    }
  }
  const expires = new Date(request.expirationDateTime);
  if (expires.getTime() <= now.getTime())
    throw new InvalidConsentRequest('expirationDateTime', 'must be in the future');
  const latest = now.getTime() + limits.maxDurationDays * 24 * 3600 * 1000;
  if (expires.getTime() > latest) {
    throw new InvalidConsentRequest(
      'expirationDateTime',
      `must be at most ${limits.maxDurationDays} days from now`,
    );
  }
  let from: string | null = null;
  let to: string | null = null;
  if (request.type === 'account_information') {
    from = request.transactionFromDateTime
      ? new Date(request.transactionFromDateTime).toISOString()
      : null;
    to = request.transactionToDateTime
      ? new Date(request.transactionToDateTime).toISOString()
      : null;
    if (from && to && from > to)
      throw new InvalidConsentRequest(
        'transactionFromDateTime',
        'must not be after transactionToDateTime',
      );
  }
  return {
    clientId,
    type: request.type,
    permissions: request.permissions,
    expiresAt: expires.toISOString(),
    purpose: request.type === 'credit_data_sharing' ? request.purpose : null,
    transactionFromDateTime: from,
    transactionToDateTime: to,
  };
}
