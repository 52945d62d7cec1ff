import type { RequestHandler } from 'express';
import { ApiError } from '@bund/service-kit';
import { callOf } from './gateway-call.js';

/** The bank books in China time: a consent instant becomes the booking date it falls on there. */
function chinaDate(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Step 6: narrows the backend query to what the consent allows, as the operation's spec
 * declares: date parameters clamped to the consented transaction window (`x-consent-window`,
 * whose `instant` names the listed items' property the proxy then cuts to the window) and,
 * when only credits or only debits were granted, the direction fixed (`x-direction-param`).
 * A request wholly outside what was granted is refused.
 */
export const constrainToConsent: RequestHandler = (_req, res, next) => {
  const call = callOf(res);
  const { route, detail, granted } = call;
  const query = { ...call.query! };
  const window = route.operation['x-consent-window'] as
    { from: string; to: string; instant?: string } | undefined;
  // The caller's own mistake, told as such before any clamping could turn it into a consent
  // problem (dates both inside the window would otherwise be "outside" it once swapped).
  if (window && query[window.from] && query[window.to] && query[window.from]! > query[window.to]!) {
    call.denial = 'request';
    throw ApiError.invalidParameter(window.from, `must not be after ${window.to}`);
  }
  if (window && (detail!.transactionFromDateTime || detail!.transactionToDateTime)) {
    // Dates narrow the backend's query; the window's own bounds are instants, so the answer's
    // items are cut to them too (the first and last day are only partly consented).
    if (window.instant) {
      call.consentWindow = {
        property: window.instant,
        ...(detail!.transactionFromDateTime
          ? { from: Date.parse(detail!.transactionFromDateTime) }
          : {}),
        ...(detail!.transactionToDateTime ? { to: Date.parse(detail!.transactionToDateTime) } : {}),
      };
    }
    const from = detail!.transactionFromDateTime
      ? chinaDate(detail!.transactionFromDateTime)
      : undefined;
    const to = detail!.transactionToDateTime ? chinaDate(detail!.transactionToDateTime) : undefined;
    if (from && (!query[window.from] || query[window.from]! < from)) query[window.from] = from;
    if (to && (!query[window.to] || query[window.to]! > to)) query[window.to] = to;
    if (query[window.from] && query[window.to] && query[window.from]! > query[window.to]!) {
      call.denial = 'permission';
      throw new ApiError(
        403,
        'permission_missing',
        `The requested dates lie outside the consented transaction window (${from ?? '…'} to ${to ?? '…'}).`,
      );
    }
  }
  const directionParam = route.operation['x-direction-param'] as string | undefined;
  if (directionParam) {
    const credits = granted!.has('ReadTransactionsCredits');
    const debits = granted!.has('ReadTransactionsDebits');
    const only = credits && !debits ? 'Credit' : debits && !credits ? 'Debit' : undefined;
    if (only) {
      if (query[directionParam] && query[directionParam] !== only) {
        call.denial = 'permission';
        throw new ApiError(
          403,
          'permission_missing',
          `This consent grants only ${only.toLowerCase()} transactions.`,
        );
      }
      query[directionParam] = only;
    }
  }
  call.query = query;
  next();
};
