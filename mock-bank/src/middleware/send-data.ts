import type { Response } from 'express';

/** Links of a resource response: relative references, because the gateway fronts this service. */
export interface Links {
  self: string;
  next?: string;
}

/** Sends the resource envelope `{ data, links, meta }`; data is never cached. */
export function sendData(
  res: Response,
  data: unknown,
  links: Links,
  meta: Record<string, unknown> = {},
): void {
  res.set('Cache-Control', 'no-store').json({ data, links, meta });
}
