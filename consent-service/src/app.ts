import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { Express, Request } from 'express';
import type Provider from 'oidc-provider';
import {
  ERROR_GUIDE_PATH,
  createServiceApp,
  databaseCheck,
  finishServiceApp,
} from '@bund/service-kit';
import type { HttpMetrics, Knex, Logger } from '@bund/service-kit';
import type { Bank } from './bank/bank-client.js';
import type { ConsentManager } from './consents/consent-manager.js';
import type { ConsentLimits } from './consents/consent-request.js';
import { dashboardRouter } from './dashboard/dashboard-routes.js';
import type { DataAccessStore } from './data-access/data-access-store.js';
import { DashboardSessions } from './dashboard/dashboard-sessions.js';
import { interactionRouter } from './interaction/interaction-routes.js';
import type { CustomerLogin } from './login/customer-login.js';
import type { ConsentMetrics } from './metrics.js';
import type { Clients } from './oidc/clients.js';
import type { Resources } from './oidc/provider.js';
import type { Pages } from './views/render.js';
import { createCsrf } from './web/csrf.js';
import { htmlErrorHandler } from './web/html-errors.js';
import { pageSecurity } from './web/page-security.js';

const staticDir = fileURLToPath(new URL('../static/', import.meta.url));

export interface AppDeps {
  db: Knex;
  logger: Logger;
  httpMetrics: HttpMetrics;
  metrics: ConsentMetrics;
  provider: Provider;
  consents: ConsentManager;
  dataAccess: DataAccessStore;
  bank: Bank;
  login: CustomerLogin;
  pages: Pages;
  clients: Clients;
  resources: Resources;
  limits: ConsentLimits;
  csrfSecret: string;
  secureCookies: boolean;
  /** Express's `trust proxy`: hops or addresses of the reverse proxies in front, if any. */
  trustProxy?: number | string;
  isShuttingDown: () => boolean;
  /** JSON APIs (consent API, internal gateway API), each with its own problem+json errors. */
  apiRouters?: express.Router[];
}

/** Origins the customer's browser may be sent to after a form: ours and the TPPs' redirect URIs. */
function formTargets(clients: Clients): string[] {
  const origins = new Set<string>();
  for (const client of clients.metadata) {
    for (const uri of (client.redirect_uris as string[] | undefined) ?? [])
      origins.add(new URL(uri).origin);
  }
  return [...origins];
}

/**
 * The consent service: customer pages (interaction, dashboard) with strict browser security
 * headers, then oidc-provider for every OAuth/OIDC endpoint. Never listens; index.ts does.
 */
export function buildApp(deps: AppDeps): Express {
  const { provider, logger } = deps;
  const app = createServiceApp({
    logger,
    metrics: deps.httpMetrics,
    readiness: { database: databaseCheck(deps.db) },
    isShuttingDown: deps.isShuttingDown,
    // TPPs read this service's problems (consent API) on its origin; the guide is the gateway's.
    errorGuide: `${deps.resources.gateway}${ERROR_GUIDE_PATH}`,
    // The gateway's health probe fetches the keys every 5 s.
    quietWhenOk: ['/jwks'],
  });
  // Behind a reverse proxy every browser has the proxy's address, which would put every
  // customer in one login-throttle bucket; only proxies named here may say who the client is.
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);

  // Customer pages only: the OAuth endpoints set their own headers.
  const pageHeaders = pageSecurity({
    formTargets: formTargets(deps.clients),
    https: deps.secureCookies,
  });
  const sessionOf = (req: Request) =>
    String(
      req.params.uid ??
        (req.cookies as Record<string, string> | undefined)?.['bund.session'] ??
        'anonymous',
    );
  const csrf = createCsrf(deps.csrfSecret, deps.secureCookies, sessionOf);

  app.use('/static', express.static(staticDir, { maxAge: '1h', fallthrough: false }));
  // Before the pages and the oidc-provider catch-all, which would answer them in HTML or OAuth form.
  for (const router of deps.apiRouters ?? []) app.use(router);
  const pages = express.Router();
  pages.use(['/interaction', '/dashboard'], pageHeaders, cookieParser());
  pages.use(
    interactionRouter({
      provider,
      consents: deps.consents,
      bank: deps.bank,
      login: deps.login,
      pages: deps.pages,
      clients: deps.clients.display,
      csrf,
      limits: deps.limits,
      resources: deps.resources,
      metrics: deps.metrics,
      logger,
    }),
  );
  pages.use(
    dashboardRouter({
      consents: deps.consents,
      dataAccess: deps.dataAccess,
      sessions: new DashboardSessions(deps.db),
      bank: deps.bank,
      login: deps.login,
      pages: deps.pages,
      clients: deps.clients.display,
      csrf,
      metrics: deps.metrics,
      secureCookies: deps.secureCookies,
      logger,
    }),
  );
  pages.use(htmlErrorHandler(deps.pages, logger));
  app.use(pages);

  // oidc-provider answers everything else it knows (discovery, PAR, auth, token, …).
  const oidc = provider.callback();
  app.use((req, res, next) => {
    if (req.path.startsWith('/health/') || req.path === '/metrics') return next();
    oidc(req, res);
  });
  return finishServiceApp(app, logger);
}
