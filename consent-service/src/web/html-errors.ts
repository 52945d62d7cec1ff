import type { ErrorRequestHandler } from 'express';
import type { Logger } from '@bund/service-kit';
import { isSessionNotFound } from '../interaction/interaction-routes.js';
import { BankUnavailable } from '../bank/bank-client.js';
import type { Pages } from '../views/render.js';
import type { ErrorView } from '../views/view-models.js';
import { pageContext, sendPage } from './page-context.js';

/**
 * Errors on the customer's pages become a page that explains what happened and how to go on,
 * never a stack trace or a JSON body. Anything unexpected is logged with its cause.
 */
export function htmlErrorHandler(pages: Pages, logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    let view: Pick<ErrorView, 'status' | 'error'>;
    if (isSessionNotFound(error)) view = { status: 400, error: 'session_expired' };
    else if ((error as { code?: string }).code === 'EBADCSRFTOKEN')
      view = { status: 403, error: 'csrf' };
    else if (error instanceof BankUnavailable) view = { status: 503, error: 'bank_unavailable' };
    else if (
      (error as { type?: string }).type === 'entity.too.large' ||
      (error as { type?: string }).type === 'entity.parse.failed'
    )
      view = { status: 400, error: 'bad_request' };
    else {
      logger.error({ err: error, route: req.route?.path }, 'customer page failed');
      view = { status: 500, error: 'server_error' };
    }
    sendPage(
      res,
      pages.error({ ...pageContext(req, res, ''), ...view, continueHref: '/dashboard' }),
      view.status,
    );
  };
}
