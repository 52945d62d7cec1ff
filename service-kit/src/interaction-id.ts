import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

export const INTERACTION_ID_HEADER = 'x-fapi-interaction-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Accepts the caller's `x-fapi-interaction-id` when it is a UUID (FAPI), generates one
 * otherwise, and echoes it on the response so a call can be traced across services.
 */
export const interactionId: RequestHandler = (req, res, next) => {
  const given = req.get(INTERACTION_ID_HEADER);
  const id = given && UUID.test(given) ? given : randomUUID();
  res.locals.interactionId = id;
  res.set(INTERACTION_ID_HEADER, id);
  next();
};
