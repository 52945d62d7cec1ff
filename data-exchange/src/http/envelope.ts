import type { Response } from 'express';

/** Links of a resource response: relative references, because the gateway fronts the service. */
export interface ResourceLinks {
  self: string;
  next?: string;
}

/** Builds a relative link from a path and the query parameters that were given. */
export function relativeLink(
  path: string,
  query: Readonly<Record<string, string | undefined>> = {},
): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.append(name, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * Sends `{ data, links, meta }`, never cached: it is one customer's credit data.
 */
export function sendResource(
  res: Response,
  body: { data: unknown; links: ResourceLinks; meta: Record<string, unknown> },
): void {
  res.set('Cache-Control', 'no-store').json(body);
}
