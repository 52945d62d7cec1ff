import { fileURLToPath } from 'node:url';
import express from 'express';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import type { JWK } from 'jose';
import { createHttpMetrics, createLogger, createServiceApp } from '@bund/service-kit';
import type { Logger } from '@bund/service-kit';
import { budgeting } from './budgeting.js';
import { connectionRoutes } from './connection-routes.js';
import { renderLanding } from './landing.js';
import { loan } from './loan.js';
import { createBankClient } from './open-banking.js';
import { SessionStore } from './sessions.js';
import { html } from '@bund/service-kit/html';
import { page } from './views/layout.js';

export interface SampleTppOptions {
  /** Where browsers reach the app; redirect URIs are `<publicUrl>/<product>/callback`. */
  publicUrl: string;
  /** The bank's issuer (the consent service). */
  issuer: string;
  gatewayUrl: string;
  clientId: string;
  /** The app's private key for private_key_jwt, as registered (public half) at the bank. */
  privateJwk: JWK;
  logger?: Logger;
  logLevel?: string;
}

export interface SampleTpp {
  app: Express;
  logger: Logger;
  beginShutdown(): void;
  close(): void;
}

const staticDir = fileURLToPath(new URL('../static/', import.meta.url));

/**
 * Builds the sample TPP (never listens; index.ts does, tests use port 0). Discovers the bank's
 * authorization server first, so the bank must be up.
 */
export async function buildSampleTpp(options: SampleTppOptions): Promise<SampleTpp> {
  const logger = options.logger ?? createLogger('sample-tpp', options.logLevel ?? 'silent');
  const bank = await createBankClient(options);
  const publicUrl = new URL(options.publicUrl);
  const sessions = new SessionStore({ secureCookie: publicUrl.protocol === 'https:' });
  let shuttingDown = false;

  const app = createServiceApp({
    logger,
    metrics: createHttpMetrics('sample-tpp'),
    // Ready when the bank's authorization server answers: without it nobody can connect.
    readiness: {
      bank: async () => {
        const response = await fetch(`${options.issuer}/.well-known/openid-configuration`);
        if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      },
    },
    isShuttingDown: () => shuttingDown,
  });
  app.use(securityHeaders(new URL(options.issuer).origin));
  app.use(sameOriginPosts(publicUrl.origin));
  app.use('/static', express.static(staticDir, { maxAge: '1h', fallthrough: false }));
  app.get('/', (_req, res) => {
    res.type('html').send(renderLanding());
  });
  const deps = { bank, sessions, publicUrl: publicUrl.origin, logger };
  app.use(connectionRoutes(budgeting, deps));
  app.use(connectionRoutes(loan, deps));
  app.use((_req, res) => {
    res.status(404).type('html').send(messagePage('Page not found', 'There is no page here.'));
  });
  app.use(((error, _req, res, _next) => {
    if ((error as { status?: number }).status === 404) {
      res.status(404).type('html').send(messagePage('Not found', 'There is no file here.'));
      return;
    }
    logger.error({ err: error }, 'request failed');
    res
      .status(500)
      .type('html')
      .send(messagePage('Something went wrong', 'Please go back and try again.'));
  }) as ErrorRequestHandler);

  return {
    app,
    logger,
    beginShutdown: () => (shuttingDown = true),
    close: () => sessions.close(),
  };
}

/**
 * No scripts, styles only from our own file; forms may post here and be redirected on to the
 * bank (Chromium checks form-action on those redirects); the referrer (and Origin) only for our
 * own pages, so the callback's code never leaks to another site while our POSTs carry an Origin.
 */
function securityHeaders(bankOrigin: string): RequestHandler {
  const csp = [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self' ${bankOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return (_req, res, next) => {
    res.set({
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
    });
    next();
  };
}

/** A POST from another site's page is refused: the session cookie alone must not act. */
function sameOriginPosts(origin: string): RequestHandler {
  return (req, res, next) => {
    const from = req.headers.origin;
    if (req.method === 'POST' && from !== undefined && from !== origin) {
      res
        .status(403)
        .type('html')
        .send(messagePage('Not allowed', 'This form came from another site.'));
      return;
    }
    next();
  };
}

function messagePage(title: string, text: string): string {
  return page({
    title,
    body: html`<section class="panel">
      <h1>${title}</h1>
      <p>${text}</p>
      <p><a href="/">Back to Tidewater</a></p>
    </section>`,
  });
}
