/** `cus-<4 digits>`, e.g. `cus-0001`. */
export const CUSTOMER_ID_PATTERN = /^cus-\d{4}$/;
