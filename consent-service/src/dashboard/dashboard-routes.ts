import express, { Router } from 'express';
import type { Request, Response } from 'express';
import type { Logger } from '@bund/service-kit';
import type { Bank } from '../bank/bank-client.js';
import type { Consent } from '../consents/consent.js';
import type { ConsentManager } from '../consents/consent-manager.js';
import { TransitionConflict } from '../consents/consent-store.js';
import type {
  DataAccessPage,
  DataAccessPosition,
  DataAccessStore,
} from '../data-access/data-access-store.js';
import { clientView, requestView } from '../interaction/interaction-routes.js';
import type { ConsentMetrics } from '../metrics.js';
import type { ClientDisplay } from '../oidc/clients.js';
import type { Pages } from '../views/render.js';
import type {
  AccountView,
  ConsentSummaryView,
  DataAccessPageView,
  Lang,
  PageContext,
} from '../views/view-models.js';
import type { Csrf } from '../web/csrf.js';
import { pageContext, sendPage } from '../web/page-context.js';
import { SESSION_COOKIE } from './dashboard-sessions.js';
import type { CustomerLogin } from '../login/customer-login.js';
import type { DashboardSessions } from './dashboard-sessions.js';

export interface DashboardDeps {
  consents: ConsentManager;
  dataAccess: DataAccessStore;
  sessions: DashboardSessions;
  bank: Bank;
  /** The password check, with its throttle. */
  login: CustomerLogin;
  pages: Pages;
  clients: ReadonlyMap<string, ClientDisplay>;
  csrf: Csrf;
  metrics: ConsentMetrics;
  secureCookies: boolean;
  logger: Logger;
}

const ACTIVE = new Set(['Authorised', 'AwaitingAuthorisation']);
/** How many of a consent's data-access records its detail page lists, newest first. */
const DATA_ACCESS_SHOWN = 50;
/** A place in a consent's data-access records in a page link: `<epoch ms>-<row id>`. */
const POSITION = /^(\d{1,15})-(\d{1,15})$/;

function positionText(record: DataAccessPosition): string {
  return `${Date.parse(record.at)}-${record.id}`;
}

/** The place a page link names, or undefined for anything else. */
function parsePosition(text: unknown): DataAccessPosition | undefined {
  const match = typeof text === 'string' ? POSITION.exec(text) : null;
  if (!match) return undefined;
  // Stored times are all `toISOString()` text, so this is the text a record's place compares to.
  return { at: new Date(Number(match[1])).toISOString(), id: Number(match[2]) };
}

/**
 * Which data-access page a detail page link asks for. A link that is not one of ours (a
 * mangled place, both directions) shows the latest page, as if there were no link: it only
 * ever picks among the consent's own records, so there is nothing to refuse.
 */
function dataAccessFrom(
  query: Request['query'],
): { olderThan: DataAccessPosition } | { newerThan: DataAccessPosition } | undefined {
  const older = parsePosition(query.older);
  const newer = parsePosition(query.newer);
  if (older && query.newer === undefined) return { olderThan: older };
  if (newer && query.older === undefined) return { newerThan: newer };
  return undefined;
}

/** Where a page of records sits, with links to the pages either side. */
function dataAccessPageView(page: DataAccessPage, detailHref: string): DataAccessPageView {
  const first = page.records[0];
  const last = page.records.at(-1);
  const end = page.newer + page.records.length;
  return {
    first: first ? page.newer + 1 : 0,
    last: end,
    total: page.total,
    ...(first && page.newer > 0 ? { newerHref: `${detailHref}?newer=${positionText(first)}` } : {}),
    ...(last && end < page.total ? { olderHref: `${detailHref}?older=${positionText(last)}` } : {}),
  };
}

function summary(
  consent: Consent,
  clients: ReadonlyMap<string, ClientDisplay>,
  lang: Lang,
  accounts: readonly AccountView[] = [],
): ConsentSummaryView {
  const covered = accounts.filter((a) => consent.accounts.includes(a.id));
  return {
    ...(covered.length > 0 ? { accounts: covered } : {}),
    id: consent.id,
    client: clientView(clients, consent.clientId, lang),
    type: consent.type,
    status: consent.status,
    createdAt: consent.createdAt,
    expiresAt: consent.expiresAt,
    statusUpdatedAt: consent.statusUpdatedAt,
    detailHref: `/dashboard/consents/${encodeURIComponent(consent.id)}`,
  };
}

/**
 * The customer's dashboard: every consent by TPP, active and past; the details and history of
 * each; revocation after a confirmation step. Only the logged-in customer's own consents are
 * ever shown or touched; anything else is "not found".
 */
export function dashboardRouter(deps: DashboardDeps): Router {
  const { consents, sessions, bank, pages, csrf } = deps;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });
  const sessionId = (req: Request) =>
    (req.cookies as Record<string, string | undefined>)[SESSION_COOKIE];
  const context = (req: Request, res: Response): PageContext =>
    pageContext(req, res, csrf.generateCsrfToken(req, res));

  /** The customer of the request's session, or a login page (and undefined). */
  async function customerOrLogin(
    req: Request,
    res: Response,
  ): Promise<{ customerId: string; ctx: PageContext } | undefined> {
    const customerId = await sessions.customerOf(sessionId(req));
    const ctx = context(req, res);
    if (!customerId) {
      sendPage(res, pages.login({ ...ctx, action: '/dashboard/login' }));
      return undefined;
    }
    return { customerId, ctx };
  }

  /** One of the customer's own consents, or a "not found" page. */
  async function ownConsent(
    req: Request,
    res: Response,
    customerId: string,
    ctx: PageContext,
  ): Promise<Consent | undefined> {
    const consent = await consents.store.find(String(req.params.consentId));
    if (!consent || consent.customerId !== customerId) {
      sendPage(
        res,
        pages.error({ ...ctx, status: 404, error: 'not_found', continueHref: '/dashboard' }),
        404,
      );
      return undefined;
    }
    return consent;
  }

  router.get('/dashboard', async (req, res) => {
    const session = await customerOrLogin(req, res);
    if (!session) return;
    const [customer, list, accounts] = await Promise.all([
      bank.customer(session.customerId),
      consents.store.listForCustomer(session.customerId),
      bank.accounts(session.customerId),
    ]);
    const views = list.map((c) => summary(c, deps.clients, session.ctx.lang, accounts));
    sendPage(
      res,
      pages.dashboard({
        ...session.ctx,
        customerName: customer.name,
        active: views.filter((v) => ACTIVE.has(v.status)),
        past: views.filter((v) => !ACTIVE.has(v.status)),
        logoutAction: '/dashboard/logout',
        ...(req.query.notice === 'revoked' ? { notice: 'revoked' as const } : {}),
      }),
    );
  });

  router.post('/dashboard/login', form, csrf.doubleCsrfProtection, async (req, res) => {
    const ctx = context(req, res);
    const { username, ...outcome } = await deps.login.checkForm(req, res);
    if ('error' in outcome) {
      sendPage(
        res,
        pages.login({ ...ctx, action: '/dashboard/login', username, error: outcome.error }),
        outcome.status,
      );
      return;
    }
    const { customer } = outcome;
    await sessions.end(sessionId(req));
    const id = await sessions.create(customer.customerId);
    res.cookie(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      path: '/dashboard',
    });
    res.redirect(303, '/dashboard');
  });

  router.post('/dashboard/logout', form, csrf.doubleCsrfProtection, async (req, res) => {
    await sessions.end(sessionId(req));
    res.clearCookie(SESSION_COOKIE, { path: '/dashboard' });
    res.redirect(303, '/dashboard');
  });

  router.get('/dashboard/consents/:consentId', async (req, res) => {
    const session = await customerOrLogin(req, res);
    if (!session) return;
    const consent = await ownConsent(req, res, session.customerId, session.ctx);
    if (!consent) return;
    const [customer, accounts, history, dataAccess] = await Promise.all([
      bank.customer(session.customerId),
      bank.accounts(session.customerId),
      consents.store.history(consent.id),
      deps.dataAccess.page(consent.id, DATA_ACCESS_SHOWN, dataAccessFrom(req.query)),
    ]);
    const consentView = summary(consent, deps.clients, session.ctx.lang);
    const subject =
      consent.subject?.kind === 'enterprise'
        ? {
            kind: 'enterprise' as const,
            name: customer.name,
            creditCode: consent.subject.creditCode,
          }
        : consent.subject?.kind === 'individual'
          ? { kind: 'individual' as const, name: customer.name }
          : undefined;
    sendPage(
      res,
      pages.consentDetail({
        ...session.ctx,
        customerName: customer.name,
        consent: {
          ...consentView,
          request: requestView(consent),
          accounts: accounts.filter((a) => consent.accounts.includes(a.id)),
          ...(subject ? { subject } : {}),
        },
        history: history.map((e) => ({
          at: e.at,
          fromStatus: e.fromStatus,
          toStatus: e.toStatus,
          reason: e.reason,
          actor: e.actor,
        })),
        dataAccess: dataAccess.records.map((access) => ({
          at: access.at,
          operation: access.operation,
          resources: access.resources,
          outcome: access.outcome,
        })),
        dataAccessPage: dataAccessPageView(dataAccess, consentView.detailHref),
        customerAccounts: accounts,
        dataAccessRetentionDays: deps.dataAccess.retentionDays,
        ...(consent.status === 'Authorised'
          ? { revokeHref: `/dashboard/consents/${encodeURIComponent(consent.id)}/revoke` }
          : {}),
        backHref: '/dashboard',
        logoutAction: '/dashboard/logout',
      }),
    );
  });

  router.get('/dashboard/consents/:consentId/revoke', async (req, res) => {
    const session = await customerOrLogin(req, res);
    if (!session) return;
    const consent = await ownConsent(req, res, session.customerId, session.ctx);
    if (!consent) return;
    if (consent.status !== 'Authorised') {
      res.redirect(303, `/dashboard/consents/${encodeURIComponent(consent.id)}`);
      return;
    }
    const customer = await bank.customer(session.customerId);
    sendPage(
      res,
      pages.revokeConfirm({
        ...session.ctx,
        customerName: customer.name,
        consent: summary(consent, deps.clients, session.ctx.lang),
        revokeAction: `/dashboard/consents/${encodeURIComponent(consent.id)}/revoke`,
        cancelHref: `/dashboard/consents/${encodeURIComponent(consent.id)}`,
        logoutAction: '/dashboard/logout',
      }),
    );
  });

  router.post(
    '/dashboard/consents/:consentId/revoke',
    form,
    csrf.doubleCsrfProtection,
    async (req, res) => {
      const session = await customerOrLogin(req, res);
      if (!session) return;
      const consent = await ownConsent(req, res, session.customerId, session.ctx);
      if (!consent) return;
      try {
        await consents.transition(consent.id, 'Revoked', 'customer_revoked', 'customer');
      } catch (error) {
        // Already revoked or expired: the customer's wish holds either way.
        if (!(error instanceof TransitionConflict)) throw error;
      }
      res.redirect(303, '/dashboard?notice=revoked');
    },
  );

  return router;
}
