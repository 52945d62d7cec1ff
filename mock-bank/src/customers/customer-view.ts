import type { CustomerRow } from '../db/rows.js';

/** The customer facts the consent service shows: never the password hash. */
export function customerProfile(row: CustomerRow) {
  return {
    id: row.id,
    kind: row.kind,
    name: { zh: row.name_zh, en: row.name_en },
    ...(row.credit_code === null ? {} : { creditCode: row.credit_code }),
  };
}
