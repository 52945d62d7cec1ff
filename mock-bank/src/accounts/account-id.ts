/** `acc-<4-digit customer number>-<2-digit index>`, e.g. `acc-0001-01`. */
export const ACCOUNT_ID_PATTERN = /^acc-\d{4}-\d{2}$/;
