import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '@bund/service-kit';
import { loadPermissions } from '@bund/specs';
import { Router } from 'express';
import type { Response } from 'express';
import { apiReferencePage, errorsPage, gettingStartedPage, homePage, orderSpecs } from './pages.js';
import type { PortalContext } from './pages.js';
import { loadPortalSpecs } from './spec-bundle.js';

export interface DeveloperPortalOptions {
  /** The gateway's public URL (`GATEWAY_URL`): examples, DPoP `htu`, the specs' `servers`. */
  publicUrl: string;
  /** The consent service's issuer: the authorization server the guide sends TPPs to. */
  consentServiceUrl: string;
  /** The folder of the API documents; `@bund/specs`' by default. */
  specsDir?: string;
}

const SWAGGER_UI_BASE = '/docs/assets/swagger-ui';
/** The only files of swagger-ui-dist the pages use (not its demo index or petstore initializer). */
const SWAGGER_UI_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-bundle.js.map': 'application/json; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui.css.map': 'application/json; charset=utf-8',
};
/** The portal's own assets, next to this file. */
const OWN_ASSETS: Record<string, string> = {
  'portal.css': 'text/css; charset=utf-8',
  'swagger-init.js': 'application/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** swagger-ui-dist's folder, wherever the package manager put it. */
function swaggerUiDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}

/**
 * The portal's pages have no inline script and no inline style; only Swagger UI's page allows
 * inline styles (its React components set some), and it fetches the spec from this origin.
 */
const CSP_PAGE =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const CSP_REFERENCE =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE_CACHE = 'public, max-age=300';
const ASSET_CACHE = 'public, max-age=86400';

function sendPage(res: Response, page: string, csp = CSP_PAGE): void {
  res
    .set({
      'Cache-Control': PAGE_CACHE,
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    })
    .type('text/html; charset=utf-8')
    .send(page);
}

function sendAsset(res: Response, body: string | Buffer, type: string, cache: string): void {
  res.set({ 'Cache-Control': cache, 'X-Content-Type-Options': 'nosniff' }).type(type).send(body);
}

/**
 * The developer portal at `/docs`: overview, getting-started guide, error reference, Swagger UI
 * for each TPP-facing API (served from this origin, read-only), and each document as
 * self-contained YAML and JSON. Not a TPP API: it is mounted before the call pipeline, so its
 * requests never meet the token checks, the rate limit or the API metrics, and anything under
 * `/docs` it does not serve is answered here (404 / 405) rather than by the API router.
 */
export function developerPortal(options: DeveloperPortalOptions): Router {
  const specs = orderSpecs(
    loadPortalSpecs({
      publicUrl: options.publicUrl,
      consentServiceUrl: options.consentServiceUrl,
      ...(options.specsDir ? { dir: options.specsDir } : {}),
    }),
  );
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const ctx: PortalContext = {
    gatewayUrl: options.publicUrl.replace(/\/$/, ''),
    issuer: options.consentServiceUrl.replace(/\/$/, ''),
    specs,
    permissions: loadPermissions(),
    swaggerUiBase: SWAGGER_UI_BASE,
  };
  // Rendered once: they depend on nothing but the specs and the configuration.
  const home = homePage(ctx);
  const errors = errorsPage(ctx);
  const references = new Map(specs.map((spec) => [spec.name, apiReferencePage(ctx, spec)]));
  const guide = { day: '', page: '' };
  const ownAssetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
  const ownAssets = new Map(
    Object.keys(OWN_ASSETS).map((file) => [file, readFileSync(path.join(ownAssetsDir, file))]),
  );
  const swaggerDir = swaggerUiDir();

  const router = Router();
  const docs = Router({ caseSensitive: true, strict: false });
  router.use('/docs', docs);

  docs.get('/', (_req, res) => sendPage(res, home));
  docs.get('/getting-started', (_req, res) => {
    // The examples' dates are relative to today (a consent must expire in the future).
    const today = new Date().toISOString().slice(0, 10);
    if (guide.day !== today) Object.assign(guide, { day: today, page: gettingStartedPage(ctx) });
    sendPage(res, guide.page);
  });
  docs.get('/errors', (_req, res) => sendPage(res, errors));
  docs.get('/api/:name', (req, res) => {
    const page = references.get(req.params.name);
    if (!page) throw ApiError.notFound(`No API named ${req.params.name}; see /docs.`);
    sendPage(res, page, CSP_REFERENCE);
  });
  docs.get('/specs/:file', (req, res) => {
    const match = /^(.+)\.(yaml|json)$/.exec(req.params.file);
    const spec = match ? byName.get(match[1]!) : undefined;
    if (!match || !spec) {
      throw ApiError.notFound(
        `No API document ${req.params.file}; see /docs for the documents you can download.`,
      );
    }
    const yaml = match[2] === 'yaml';
    res.set('Content-Disposition', `attachment; filename="bund-${spec.name}.${match[2]}"`);
    sendAsset(
      res,
      yaml ? spec.yaml : spec.json,
      yaml ? 'application/yaml; charset=utf-8' : 'application/json; charset=utf-8',
      PAGE_CACHE,
    );
  });
  docs.get('/assets/swagger-ui/:file', (req, res, next) => {
    const type = Object.hasOwn(SWAGGER_UI_FILES, req.params.file)
      ? SWAGGER_UI_FILES[req.params.file]
      : undefined;
    if (!type) throw ApiError.notFound();
    res.sendFile(
      req.params.file,
      {
        root: swaggerDir,
        dotfiles: 'deny',
        headers: { 'Cache-Control': ASSET_CACHE, 'X-Content-Type-Options': 'nosniff' },
      },
      (error?: Error & { status?: number }) => {
        if (error) next(error.status === 404 ? ApiError.notFound() : error);
      },
    );
  });
  docs.get('/assets/:file', (req, res) => {
    const body = ownAssets.get(req.params.file);
    if (!body) throw ApiError.notFound();
    sendAsset(res, body, OWN_ASSETS[req.params.file]!, PAGE_CACHE);
  });
  // Whatever else is under /docs is the portal's to refuse, never the API pipeline's.
  docs.use((req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new ApiError(
        405,
        'method_not_allowed',
        `${req.method} is not allowed on ${req.originalUrl.split('?')[0]}; the developer portal is read-only.`,
        undefined,
        { Allow: 'GET, HEAD' },
      );
    }
    throw ApiError.notFound(`No developer portal page at ${req.originalUrl.split('?')[0]}.`);
  });
  return router;
}
