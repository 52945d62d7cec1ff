import { ApiError, parseQuery, z } from '@bund/service-kit';
import type { Knex } from '@bund/service-kit';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { monthsBefore } from '../calendar.js';
import { relativeLink, sendResource } from '../http/envelope.js';
import { checkMonthRange, monthParam } from '../http/month-range.js';
import { customerIdOf, resourceRoute } from '../http/resource-route.js';
import { HISTORY_MONTHS } from '../seed/enterprise-records.js';
import { UTILITIES } from '../seed/enterprise-facts.js';
import type { SeedRun } from '../seed/seed-database.js';
import { parseCreditCode } from './credit-code-param.js';
import {
  findEnterpriseOf,
  listInvoiceMonths,
  listTaxGrades,
  listUtilityBills,
} from './enterprise-store.js';
import {
  renderEnterprise,
  renderInvoiceMonth,
  renderTaxGrade,
  renderUtilityBill,
} from './render.js';

/** The query parameters of the monthly series. */
const invoiceQuery = { fromMonth: monthParam, toMonth: monthParam };
const utilityQuery = { ...invoiceQuery, utility: z.enum(UTILITIES).optional() };

/** What the enterprise routes read from. */
export interface EnterpriseRouteOptions {
  db: Knex;
  gatewayCredential: string;
  seedRun: SeedRun;
}

/**
 * The enterprise credit-data routes (specs/credit-data.yaml). Each checks the credit code,
 * then that the calling customer owns the enterprise: an unknown enterprise and another
 * customer's are the same 404.
 */
export function enterpriseRoutes({
  db,
  gatewayCredential,
  seedRun,
}: EnterpriseRouteOptions): Router {
  const router = Router();
  const window = monthsBefore(seedRun.anchorDate, HISTORY_MONTHS);
  const windowStart = window[0]!;
  const windowEnd = window[window.length - 1]!;

  /** The path's enterprise, when it is the caller's; 404 otherwise. */
  async function ownedEnterprise(req: Request, res: Response) {
    const creditCode = parseCreditCode(req.params);
    const enterprise = await findEnterpriseOf(db, customerIdOf(res), creditCode);
    if (!enterprise) throw ApiError.notFound(`No enterprise ${creditCode} for this customer.`);
    return enterprise;
  }

  router.get(
    '/enterprises/:creditCode',
    ...resourceRoute('getEnterpriseProfile', gatewayCredential),
    async (req, res) => {
      parseQuery({}, req.query);
      const enterprise = await ownedEnterprise(req, res);
      sendResource(res, {
        data: renderEnterprise(enterprise),
        links: { self: relativeLink(`/enterprises/${enterprise.credit_code}`) },
        meta: { dataAsOf: seedRun.anchorDate },
      });
    },
  );

  router.get(
    '/enterprises/:creditCode/tax-grades',
    ...resourceRoute('listEnterpriseTaxGrades', gatewayCredential),
    async (req, res) => {
      parseQuery({}, req.query);
      const enterprise = await ownedEnterprise(req, res);
      const grades = await listTaxGrades(db, enterprise.credit_code);
      sendResource(res, {
        data: grades.map(renderTaxGrade),
        links: { self: relativeLink(`/enterprises/${enterprise.credit_code}/tax-grades`) },
        meta: { count: grades.length, dataAsOf: seedRun.anchorDate },
      });
    },
  );

  router.get(
    '/enterprises/:creditCode/invoice-summaries',
    ...resourceRoute('listEnterpriseInvoiceSummaries', gatewayCredential),
    async (req, res) => {
      const query = parseQuery(invoiceQuery, req.query);
      checkMonthRange(query);
      const enterprise = await ownedEnterprise(req, res);
      const months = await listInvoiceMonths(db, enterprise.credit_code, query);
      sendResource(res, {
        data: months.map(renderInvoiceMonth),
        links: {
          self: relativeLink(`/enterprises/${enterprise.credit_code}/invoice-summaries`, query),
        },
        meta: {
          count: months.length,
          fromMonth: query.fromMonth ?? windowStart,
          toMonth: query.toMonth ?? windowEnd,
          dataAsOf: seedRun.anchorDate,
        },
      });
    },
  );

  router.get(
    '/enterprises/:creditCode/utility-payments',
    ...resourceRoute('listEnterpriseUtilityPayments', gatewayCredential),
    async (req, res) => {
      const query = parseQuery(utilityQuery, req.query);
      checkMonthRange(query);
      const enterprise = await ownedEnterprise(req, res);
      const bills = await listUtilityBills(db, enterprise.credit_code, query);
      sendResource(res, {
        data: bills.map(renderUtilityBill),
        links: {
          self: relativeLink(`/enterprises/${enterprise.credit_code}/utility-payments`, query),
        },
        meta: {
          count: bills.length,
          fromMonth: query.fromMonth ?? windowStart,
          toMonth: query.toMonth ?? windowEnd,
          dataAsOf: seedRun.anchorDate,
        },
      });
    },
  );

  return router;
}
