import type { Request, Response } from 'express';
import type { Lang, PageContext } from '../views/view-models.js';

/** The cookie the customer's language choice is remembered in, by every page. */
export const LANG_COOKIE = 'bund.lang';
/** How the choice is kept (a year), alike by the Express pages and oidc-provider's (Koa). */
export function langCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000, secure } as const;
}
/** The languages Accept-Language is matched against. */
export const OFFERED_LANGUAGES = ['en', 'zh', 'zh-CN', 'zh-TW', 'zh-HK'];

/**
 * The page language: an explicit `?lang=` (to be remembered in a cookie), else the remembered
 * choice, else the browser's Accept-Language (Chinese or English; English when neither). Kept
 * apart from any framework: oidc-provider's error page (Koa) chooses the same way.
 */
export function pickLanguage(
  asked: unknown,
  remembered: unknown,
  preferred: unknown,
): { lang: Lang; remember: boolean } {
  if (asked === 'zh' || asked === 'en') return { lang: asked, remember: true };
  if (remembered === 'zh' || remembered === 'en') return { lang: remembered, remember: false };
  const lang = typeof preferred === 'string' && preferred.startsWith('zh') ? 'zh' : 'en';
  return { lang, remember: false };
}

/** {@link pickLanguage} for an Express page. */
export function chooseLanguage(req: Request, res: Response): Lang {
  const { lang, remember } = pickLanguage(
    req.query.lang,
    (req.cookies as Record<string, string> | undefined)?.[LANG_COOKIE],
    req.acceptsLanguages(...OFFERED_LANGUAGES),
  );
  if (remember) res.cookie(LANG_COOKIE, lang, langCookieOptions(req.secure));
  return lang;
}

/** A request's path and query without `lang`, for the language switch. */
export function pathWithoutLang(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://placeholder');
  url.searchParams.delete('lang');
  // A link starting `//` would lead to another host (`/.//evil.example` resolves to
  // `//evil.example`): one slash, whatever the request had.
  return `/${`${url.pathname}${url.search}`.replace(/^\/+/, '')}`;
}

export function pageContext(req: Request, res: Response, csrfToken: string): PageContext {
  return { lang: chooseLanguage(req, res), path: pathWithoutLang(req.originalUrl), csrfToken };
}

/** Sends a page: HTML, never cached (it carries personal data and CSRF tokens). */
export function sendPage(res: Response, html: string, status = 200): void {
  res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
}
