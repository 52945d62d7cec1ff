import type { Request, Response } from 'express';
import type { Lang, PageContext } from '../views/view-models.js';

const LANG_COOKIE = 'bund.lang';

/**
 * The page language: an explicit `?lang=` (remembered in a cookie), else the remembered
 * choice, else the browser's Accept-Language (Chinese or English; English when neither).
 */
export function chooseLanguage(req: Request, res: Response): Lang {
  const asked = req.query.lang;
  if (asked === 'zh' || asked === 'en') {
    res.cookie(LANG_COOKIE, asked, {
      httpOnly: true,
      sameSite: 'lax',
      maxAge: 365 * 24 * 3600 * 1000,
      secure: req.secure,
    });
    return asked;
  }
  const remembered = (req.cookies as Record<string, string> | undefined)?.[LANG_COOKIE];
  if (remembered === 'zh' || remembered === 'en') return remembered;
  const preferred = req.acceptsLanguages('en', 'zh', 'zh-CN', 'zh-TW', 'zh-HK');
  return typeof preferred === 'string' && preferred.startsWith('zh') ? 'zh' : 'en';
}

/** The request's path and query without `lang`, for the language switch. */
function pathWithoutLang(req: Request): string {
  const url = new URL(req.originalUrl, 'http://placeholder');
  url.searchParams.delete('lang');
  return `${url.pathname}${url.search}`;
}

export function pageContext(req: Request, res: Response, csrfToken: string): PageContext {
  return { lang: chooseLanguage(req, res), path: pathWithoutLang(req), csrfToken };
}

/** Sends a page: HTML, never cached (it carries personal data and CSRF tokens). */
export function sendPage(res: Response, html: string, status = 200): void {
  res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
}
