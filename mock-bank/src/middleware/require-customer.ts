import type { RequestHandler, Response } from 'express';
import { ApiError, INTERNAL_HEADERS } from '@bund/service-kit';
import { ACCOUNT_ID_PATTERN } from '../accounts/account-id.js';
import { CUSTOMER_ID_PATTERN } from '../customers/customer-id.js';

/** Whose data a resource call reads, as the gateway stated it. */
export interface CustomerContext {
  customerId: string;
  /** The accounts the consent covers; undefined when the gateway sent no such header. */
  consentedAccounts?: ReadonlySet<string>;
}

/**
 * Reads the customer (and, when present, the consented accounts) from the headers the gateway
 * sets. Only the gateway reaches these routes, so a missing or malformed header is the
 * caller's bug: a 400 naming the header.
 */
export const requireCustomer: RequestHandler = (req, res, next) => {
  const customerId = req.get(INTERNAL_HEADERS.customerId);
  if (customerId === undefined || customerId === '') {
    throw ApiError.invalidParameter(INTERNAL_HEADERS.customerId, 'is required');
  }
  if (!CUSTOMER_ID_PATTERN.test(customerId)) {
    throw ApiError.invalidParameter(
      INTERNAL_HEADERS.customerId,
      'must be a customer id like cus-0001',
    );
  }
  const context: CustomerContext = { customerId };
  const consented = req.get(INTERNAL_HEADERS.consentedAccounts);
  if (consented !== undefined) {
    // An empty header means the consent covers no account at all.
    const ids = consented
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    const malformed = ids.find((id) => !ACCOUNT_ID_PATTERN.test(id));
    if (malformed !== undefined) {
      throw ApiError.invalidParameter(
        INTERNAL_HEADERS.consentedAccounts,
        'must be a comma-separated list of account ids',
      );
    }
    context.consentedAccounts = new Set(ids);
  }
  res.locals.customer = context;
  next();
};

/** The context {@link requireCustomer} put on the response. */
export function customerOf(res: Response): CustomerContext {
  const context = res.locals.customer as CustomerContext | undefined;
  if (!context) throw new Error('requireCustomer must run before this handler');
  return context;
}
