import { randomBytes } from 'node:crypto';
import { createDatabase, createHttpMetrics, createLogger, migrate } from '@bund/service-kit';
import type { HttpMetrics, Knex, Logger } from '@bund/service-kit';
import type { Express, Response } from 'express';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { buildApp } from './app.js';
import type { Bank } from './bank/bank-client.js';
import type { ChangeSignal } from './change-feed/change-signal.js';
import { ConsentFeed } from './change-feed/consent-feed.js';
import { createChangeSignal } from './change-feed/create-change-signal.js';
import { consentApiRouter } from './consent-api/consent-api-routes.js';
import { ConsentManager } from './consents/consent-manager.js';
import { ConsentStore } from './consents/consent-store.js';
import type { ConsentLimits } from './consents/consent-request.js';
import { DataAccessStore } from './data-access/data-access-store.js';
import { migrations } from './db/migrations.js';
import { internalConsentRouter } from './internal-api/internal-consent-routes.js';
import { internalDataAccessRouter } from './internal-api/internal-data-access-routes.js';
import { createConsentMetrics } from './metrics.js';
import type { ConsentMetrics } from './metrics.js';
import { authorizationDetailTypes } from './oidc/authorization-details.js';
import type { Clients } from './oidc/clients.js';
import { createProvider } from './oidc/provider.js';
import type { Resources } from './oidc/provider.js';
import { assertFapiConfiguration } from './oidc/self-check.js';
import { providerJwks } from './oidc/signing-keys.js';
import type { KeyFile } from './oidc/signing-keys.js';
import { pages } from './views/pages.js';
import { CustomerLogin } from './login/customer-login.js';
import { LOGIN_THROTTLE_DEFAULTS, LoginThrottle } from './login/login-throttle.js';
import type { LoginThrottleOptions } from './login/login-throttle.js';
import { DashboardSessions } from './dashboard/dashboard-sessions.js';
import { purgeExpired } from './oidc/knex-adapter.js';

/** Everything the consent service is built from; index.ts fills it from config, tests directly. */
export interface BuildOptions {
  issuer: string;
  /** The gateway's URL: audience of the access tokens. */
  gatewayUrl: string;
  databaseUrl?: string;
  sqliteFile?: string;
  databaseSchema?: string;
  bank: Bank;
  clients: Clients;
  signingKeys: KeyFile;
  /** Secrets shared by every replica; random when absent (a test's single process). */
  secrets?: { cookieKey: string; dpopNonce: string; csrf: string };
  accessTokenTtlSeconds?: number;
  refreshTokenMaxTtlSeconds?: number;
  limits?: ConsentLimits;
  logger?: Logger;
  logLevel?: string;
  /**
   * The gateway's internal credential for the consent read, the change feed and data-access
   * delivery; none refuses all.
   */
  gatewayCredential?: string;
  /** Failed logins that pause logging in, and for how long; default LOGIN_THROTTLE_DEFAULTS. */
  loginThrottle?: Partial<LoginThrottleOptions>;
  /** Reverse proxies in front (Express `trust proxy`: a hop count or addresses); none by default. */
  trustProxy?: number | string;
  /** Days data-access records are kept; default DATA_ACCESS_RETENTION_DAYS (184). */
  dataAccessRetentionDays?: number;
  /** Heartbeat of the change feed (tests shorten it); default 15 s. */
  feedHeartbeatMs?: number;
}

/** A built consent service, not yet listening. */
export interface ConsentService {
  app: Express;
  db: Knex;
  provider: Provider;
  consents: ConsentManager;
  /** What TPPs read under each consent, as the gateway reports it. */
  dataAccess: DataAccessStore;
  logger: Logger;
  httpMetrics: HttpMetrics;
  metrics: ConsentMetrics;
  resources: Resources;
  /** The change feed: its subscribers, and closing them. */
  feed: ConsentFeed;
  changeSignal: ChangeSignal;
  /**
   * Housekeeping: drops expired OAuth rows, dashboard sessions, login-throttle counts and
   * data-access records past their retention.
   */
  purgeExpired(): Promise<void>;
  beginShutdown(): void;
  /** Ends the change feed streams and stops listening for changes (before `db.destroy()`). */
  close(): Promise<void>;
}

/**
 * Builds the consent service: database and migrations, the provider with its FAPI 2.0
 * self-check, the consent store and the app. The self-check throws (naming the setting) when
 * the effective configuration is not what Bund promises, so a bad build never serves.
 */
export async function buildConsentService(options: BuildOptions): Promise<ConsentService> {
  const logger = options.logger ?? createLogger('consent-service', options.logLevel ?? 'silent');
  const db = createDatabase({
    databaseUrl: options.databaseUrl ?? '',
    sqliteFile: options.sqliteFile ?? ':memory:',
    schema: options.databaseSchema ?? 'consent_service',
  });
  let signal: ChangeSignal | undefined;
  try {
    await migrate(db, migrations);
    const secrets = options.secrets ?? {
      cookieKey: randomBytes(32).toString('base64url'),
      dpopNonce: randomBytes(32).toString('base64url'),
      csrf: randomBytes(32).toString('base64url'),
    };
    const limits = options.limits ?? { maxDurationDays: 365 };
    const resources: Resources = {
      gateway: options.gatewayUrl,
      consentApi: `${options.issuer}/consents`,
    };
    const httpMetrics = createHttpMetrics('consent-service');
    signal = await createChangeSignal({
      db,
      databaseUrl: options.databaseUrl ?? '',
      schema: options.databaseSchema ?? 'consent_service',
      logger,
    });
    const changeSignal = signal;
    const store = new ConsentStore(db, () => changeSignal.notify());
    const metrics = createConsentMetrics(httpMetrics.registry, store);
    const provider = createProvider({
      issuer: options.issuer,
      resources,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 300,
      refreshTokenMaxTtlSeconds: options.refreshTokenMaxTtlSeconds ?? 90 * 24 * 3600,
      jwks: providerJwks(options.signingKeys),
      cookieKeys: [secrets.cookieKey],
      secureCookies: options.issuer.startsWith('https:'),
      ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
      dpopNonceSecret: Buffer.from(secrets.dpopNonce, 'base64url').subarray(0, 32),
      clients: options.clients.metadata,
      db,
      authorizationDetailTypes: authorizationDetailTypes(store, limits),
      onOAuthError: (code) => metrics.oauthErrors.inc({ error: code }),
      pages,
    });
    // oidc-provider routes its endpoints itself, so Express leaves them unmatched: count each
    // under the provider's own route name (a fixed set, `unmatched` on a path it does not know).
    provider.use(async (ctx, next) => {
      try {
        await next();
      } finally {
        const route = (ctx as Partial<KoaContextWithOIDC>).oidc?.route;
        if (route) (ctx.res as Response).locals.operationId = route;
      }
    });
    provider.on('grant.success', (ctx) =>
      metrics.tokensIssued.inc({ grant_type: String(ctx.oidc.params?.grant_type ?? 'unknown') }),
    );
    provider.on('grant.error', (ctx) => {
      if (ctx.oidc.params?.grant_type === 'authorization_code')
        metrics.journeysAbandoned.inc({ stage: 'failed_token_exchange' });
    });
    await assertFapiConfiguration(provider, options.clients.metadata);
    const consents = new ConsentManager(store, provider, metrics, logger);
    const dataAccess = new DataAccessStore(db, options.dataAccessRetentionDays);
    const loginThrottle = new LoginThrottle(db, {
      ...LOGIN_THROTTLE_DEFAULTS,
      ...options.loginThrottle,
    });
    const login = new CustomerLogin(options.bank, loginThrottle, metrics, logger);
    let shuttingDown = false;
    const feed = new ConsentFeed({
      store,
      signal: changeSignal,
      logger,
      heartbeatMs: options.feedHeartbeatMs,
    });
    const apiRouters = [
      consentApiRouter({
        provider,
        consents,
        limits,
        issuer: options.issuer,
        resource: resources.consentApi,
        logger,
      }),
      internalConsentRouter({ store, feed, gatewayCredential: options.gatewayCredential, logger }),
      internalDataAccessRouter({
        store: dataAccess,
        gatewayCredential: options.gatewayCredential,
        logger,
      }),
    ];
    const app = buildApp({
      db,
      logger,
      httpMetrics,
      metrics,
      provider,
      consents,
      dataAccess,
      bank: options.bank,
      login,
      pages,
      clients: options.clients,
      resources,
      limits,
      csrfSecret: secrets.csrf,
      secureCookies: options.issuer.startsWith('https:'),
      ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
      isShuttingDown: () => shuttingDown,
      apiRouters,
    });
    return {
      app,
      db,
      provider,
      consents,
      dataAccess,
      logger,
      httpMetrics,
      metrics,
      resources,
      feed,
      changeSignal,
      purgeExpired: async () => {
        // Each step on its own: one that fails must not keep the others from running.
        const steps = await Promise.allSettled([
          purgeExpired(db),
          new DashboardSessions(db).purgeExpired(),
          loginThrottle.sweep(),
          dataAccess
            .purgeExpired(() => shuttingDown)
            .then((purged) => {
              if (purged === 0) return;
              logger.info(
                { records: purged, retentionDays: dataAccess.retentionDays },
                'purged data-access records past their retention',
              );
            }),
        ]);
        const failures = steps.flatMap((step) => (step.status === 'rejected' ? [step.reason] : []));
        if (failures.length === 1) throw failures[0];
        // Every reason reaches the log, not only the first.
        if (failures.length > 1) throw new AggregateError(failures, 'housekeeping steps failed');
      },
      beginShutdown: () => {
        shuttingDown = true;
        // Open streams would hold the server open; subscribers resume on another replica.
        feed.close();
      },
      close: async () => {
        feed.close();
        await changeSignal.close();
      },
    };
  } catch (error) {
    await signal?.close();
    await db.destroy();
    throw error;
  }
}
