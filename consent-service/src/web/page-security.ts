import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The browser security headers of every customer page: a strict CSP (no script at all),
 * no framing, no referrer (page URLs carry a TPP's request), HSTS when served over https.
 * `formTargets` are the origins a form post may end at: the TPPs' redirect URIs, since
 * Chromium applies form-action to the redirects that follow a post; none on a page without
 * forms.
 */
export function pageSecurity(options: { formTargets: string[]; https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction:
          options.formTargets.length > 0 ? ["'self'", ...options.formTargets] : ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https,
  });
}
