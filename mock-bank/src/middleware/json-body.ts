import express from 'express';
import type { RequestHandler } from 'express';
import { ApiError } from '@bund/service-kit';

/** Largest request body accepted, in bytes. */
export const BODY_LIMIT = '16kb';

const parseJson = express.json({ limit: BODY_LIMIT });

/**
 * Accepts only a JSON body (415 otherwise) of at most 16 kB (413), parsed (400 when it is not
 * JSON). The media type is checked before a byte is read.
 */
export const jsonBody: RequestHandler[] = [
  (req, _res, next) => {
    if (!req.is('application/json')) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
    }
    next();
  },
  parseJson,
];
