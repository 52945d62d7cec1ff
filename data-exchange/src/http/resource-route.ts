import { ApiError, INTERNAL_HEADERS, requireInternalCredential } from '@bund/service-kit';
import type { RequestHandler, Response } from 'express';

/** Names the operation for metrics and logs; first, so refused calls are counted under it. */
export function operation(operationId: string): RequestHandler {
  return (_req, res, next) => {
    res.locals.operationId = operationId;
    next();
  };
}

/**
 * Takes the calling customer from the header the gateway sets. Never from anything a third
 * party could choose: the gateway derives it from the access token.
 */
export const requireCustomerId: RequestHandler = (req, res, next) => {
  const customerId = req.get(INTERNAL_HEADERS.customerId)?.trim();
  if (!customerId) {
    next(
      ApiError.invalidParameter(
        INTERNAL_HEADERS.customerId,
        'the gateway must name the customer in this header',
      ),
    );
    return;
  }
  res.locals.customerId = customerId;
  next();
};

/** The customer {@link requireCustomerId} put on the response. */
export function customerIdOf(res: Response): string {
  const customerId = res.locals.customerId as string | undefined;
  if (!customerId) throw new Error('requireCustomerId must run before the handler');
  return customerId;
}

/**
 * The steps before every resource handler, in order: name the operation, accept only the
 * gateway's internal credential, take the customer from the gateway's header.
 */
export function resourceRoute(operationId: string, gatewayCredential: string): RequestHandler[] {
  return [
    operation(operationId),
    requireInternalCredential([gatewayCredential]),
    requireCustomerId,
  ];
}
