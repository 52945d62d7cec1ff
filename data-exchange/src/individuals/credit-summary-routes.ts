import { ApiError, parseQuery } from '@bund/service-kit';
import type { Knex } from '@bund/service-kit';
import { Router } from 'express';
import { relativeLink, sendResource } from '../http/envelope.js';
import { customerIdOf, resourceRoute } from '../http/resource-route.js';
import type { SeedRun } from '../seed/seed-database.js';
import { findCreditReport } from './credit-summary-store.js';
import { renderCreditSummary } from './render.js';

/** What the credit-summary route reads from. */
export interface CreditSummaryRouteOptions {
  db: Knex;
  gatewayCredential: string;
  seedRun: SeedRun;
}

/** `GET /individuals/me/credit-summary`: the calling customer's own summary, nobody else's. */
export function creditSummaryRoutes({
  db,
  gatewayCredential,
  seedRun,
}: CreditSummaryRouteOptions): Router {
  const router = Router();
  router.get(
    '/individuals/me/credit-summary',
    ...resourceRoute('getPersonalCreditSummary', gatewayCredential),
    async (req, res) => {
      parseQuery({}, req.query);
      const found = await findCreditReport(db, customerIdOf(res));
      // An SME customer, or anyone the exchange has no report for.
      if (!found) throw ApiError.notFound('No personal credit report for this customer.');
      sendResource(res, {
        data: renderCreditSummary(found.report, found.accounts),
        links: { self: relativeLink('/individuals/me/credit-summary') },
        meta: { dataAsOf: seedRun.anchorDate },
      });
    },
  );
  return router;
}
