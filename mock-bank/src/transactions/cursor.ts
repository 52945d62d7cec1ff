import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError, z } from '@bund/service-kit';

/** Where the next page starts: after the transaction booked at `bookedAt` with `seq`. */
export interface CursorPosition {
  bookedAt: string;
  seq: number;
}

const MAC_BYTES = 16;
/** Generous for a MAC plus a small JSON position; anything longer is not ours. */
const MAX_CURSOR_LENGTH = 256;

const position = z
  .object({
    t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/),
    s: z.number().int().positive(),
  })
  .strict();

function mac(key: string, scope: string, payload: Buffer): Buffer {
  return createHmac('sha256', key)
    .update(scope)
    .update('\n')
    .update(payload)
    .digest()
    .subarray(0, MAC_BYTES);
}

/**
 * An opaque base64url cursor for `at`, bound by HMAC to `scope` (the account and filters), so
 * a cursor that was altered or taken from another query is refused instead of silently
 * paging somewhere else.
 */
export function encodeCursor(key: string, scope: string, at: CursorPosition): string {
  const payload = Buffer.from(JSON.stringify({ t: at.bookedAt, s: at.seq }));
  return Buffer.concat([mac(key, scope, payload), payload]).toString('base64url');
}

/** The position in `cursor`; a 400 naming `cursor` when it is not one this service issued for `scope`. */
export function decodeCursor(key: string, scope: string, cursor: string): CursorPosition {
  const invalid = () =>
    ApiError.invalidParameter(
      'cursor',
      'is not a cursor this API issued for this query; use links.next as given',
    );
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.length <= MAC_BYTES) throw invalid();
  const payload = raw.subarray(MAC_BYTES);
  if (!timingSafeEqual(raw.subarray(0, MAC_BYTES), mac(key, scope, payload))) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = position.safeParse(parsed);
  if (!result.success) throw invalid();
  return { bookedAt: result.data.t, seq: result.data.s };
}
