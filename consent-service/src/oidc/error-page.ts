import { errors } from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Request, Response } from 'express';
import type { Pages } from '../views/render.js';
import type { ErrorView, Lang } from '../views/view-models.js';
import {
  LANG_COOKIE,
  OFFERED_LANGUAGES,
  langCookieOptions,
  pathWithoutLang,
  pickLanguage,
} from '../web/page-context.js';
import { pageSecurity } from '../web/page-security.js';

/** OAuth error codes as oidc-provider spells them; anything else is not shown. */
const ERROR_CODE = /^[a-z_]{1,64}$/;

/** The page language, as every customer page chooses it (web/page-context.ts). */
function chooseLanguage(ctx: KoaContextWithOIDC): Lang {
  const { lang, remember } = pickLanguage(
    ctx.query.lang,
    ctx.cookies.get(LANG_COOKIE, { signed: false }),
    ctx.acceptsLanguages(...OFFERED_LANGUAGES),
  );
  // oidc-provider signs its own cookies; this one is shared with the Express pages.
  if (remember)
    ctx.cookies.set(LANG_COOKIE, lang, { ...langCookieOptions(ctx.secure), signed: false });
  return lang;
}

/** Which explanation fits: what the customer can do differs, the OAuth detail does not matter. */
function explanation(out: { error: string }, error: Error): ErrorView['error'] {
  if (out.error === 'invalid_request_uri') return 'authorization_link_expired';
  if (error instanceof errors.SessionNotFound) return 'session_expired';
  if (out.error === 'server_error') return 'server_error';
  return 'authorization_refused';
}

/**
 * oidc-provider's `renderError`: the errors it cannot send back to the TPP (an expired or
 * used PAR link, an unknown client, …) as a Bund page in the customer's language, with the
 * status oidc-provider chose. The error description is not shown: it is written for the TPP's
 * developers and may repeat what the TPP sent.
 */
export function renderOidcError(
  pages: Pages,
  https: boolean,
): NonNullable<Configuration['renderError']> {
  // The customer pages' headers (helmet sets them on the Node response Koa wraps); no form here.
  const headers = pageSecurity({ formTargets: [], https });
  return (ctx, out, error) => {
    const lang = chooseLanguage(ctx);
    const view: ErrorView = {
      lang,
      path: pathWithoutLang(ctx.originalUrl),
      csrfToken: '',
      status: ctx.status,
      error: explanation(out, error),
      ...(ERROR_CODE.test(out.error) ? { supportCode: out.error } : {}),
    };
    headers(ctx.req as Request, ctx.res as Response, () => undefined);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = pages.error(view);
  };
}
