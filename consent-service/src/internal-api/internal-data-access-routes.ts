import express, { Router } from 'express';
import type { RequestHandler } from 'express';
import { ApiError, parseQuery, problemHandler, requireInternalCredential } from '@bund/service-kit';
import type { Logger } from '@bund/service-kit';
import { parseDataAccessBatch } from '../data-access/data-access-record.js';
import type { DataAccessStore } from '../data-access/data-access-store.js';

export interface InternalDataAccessDeps {
  store: DataAccessStore;
  /** The gateway's internal credential; without one, every call is refused. */
  gatewayCredential: string | undefined;
  logger: Logger;
}

/** Largest delivery accepted: 500 records of a few accounts each fit with room to spare. */
const BODY_LIMIT = '256kb';

/**
 * Where the gateway delivers the record of every resource call it served under a consent
 * (specs/internal/consent-service.yaml, `recordDataAccess`), for the customer's dashboard.
 * Only the gateway's internal credential opens it; the body is read only after that check.
 */
export function internalDataAccessRouter(deps: InternalDataAccessDeps): Router {
  const router = Router();
  const gatewayOnly = requireInternalCredential(
    deps.gatewayCredential ? [deps.gatewayCredential] : [],
  );
  const named: RequestHandler = (_req, res, next) => {
    res.locals.operationId = 'recordDataAccess';
    next();
  };
  const requireJson: RequestHandler = (req, _res, next) => {
    parseQuery({}, req.query);
    if (!req.is('application/json'))
      throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
    next();
  };

  router.post(
    '/internal/data-access',
    named,
    gatewayOnly,
    requireJson,
    express.json({ limit: BODY_LIMIT }),
    async (req, res) => {
      const records = parseDataAccessBatch(req.body);
      await deps.store.add(records);
      res.status(204).set('Cache-Control', 'no-store').end();
    },
  );

  router.use(problemHandler(deps.logger));
  return router;
}
