import { doubleCsrf } from 'csrf-csrf';
import type { Request } from 'express';

/**
 * CSRF protection for every form: a signed double-submit cookie bound to what identifies the
 * browser's journey (the interaction uid, or the dashboard session). `_csrf` is the form field.
 */
export function createCsrf(secret: string, secure: boolean, sessionOf: (req: Request) => string) {
  return doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: sessionOf,
    cookieName: secure ? '__Host-bund.csrf' : 'bund.csrf',
    cookieOptions: { sameSite: 'strict', secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) =>
      (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });
}

export type Csrf = ReturnType<typeof createCsrf>;
