import { Router } from 'express';
import type { RequestHandler } from 'express';
import { ApiError, parseQuery, problemHandler, requireInternalCredential } from '@bund/service-kit';
import type { Logger } from '@bund/service-kit';
import type { ConsentFeed } from '../change-feed/consent-feed.js';
import type { ConsentStore } from '../consents/consent-store.js';
import { readConsentSnapshot, wasAuthorised } from '../consents/consent-snapshot.js';
import type { ConsentSnapshot } from '../consents/consent-snapshot.js';

export interface InternalConsentDeps {
  store: ConsentStore;
  feed: ConsentFeed;
  /** The gateway's internal credential; without one, every call is refused. */
  gatewayCredential: string | undefined;
  logger: Logger;
}

const operation =
  (operationId: string): RequestHandler =>
  (_req, res, next) => {
    res.locals.operationId = operationId;
    next();
  };

/** A consent as the gateway needs it to decide a call (`InternalConsent` in the internal spec). */
function internalView({ consent, sequence }: ConsentSnapshot) {
  const authorised = wasAuthorised(consent);
  return {
    consentId: consent.id,
    type: consent.type,
    status: consent.status,
    statusReason: consent.statusReason,
    statusUpdatedAt: consent.statusUpdatedAt,
    clientId: consent.clientId,
    customerId: consent.customerId,
    permissions: consent.permissions,
    accounts: authorised ? consent.accounts : [],
    subject: authorised ? consent.subject : null,
    transactionFromDateTime: consent.transactionFromDateTime,
    transactionToDateTime: consent.transactionToDateTime,
    expirationDateTime: consent.expiresAt,
    sequence,
  };
}

/**
 * What the gateway reads (specs/internal/consent-service.yaml): one consent, and the change
 * feed that keeps its cache current. Only the gateway's internal credential opens them.
 */
export function internalConsentRouter(deps: InternalConsentDeps): Router {
  const router = Router();
  const gatewayOnly = requireInternalCredential(
    deps.gatewayCredential ? [deps.gatewayCredential] : [],
  );

  router.get(
    '/internal/consents/changes',
    operation('streamConsentChanges'),
    gatewayOnly,
    deps.feed.handler,
  );

  router.get(
    '/internal/consents/:consentId',
    operation('getInternalConsent'),
    gatewayOnly,
    async (req, res) => {
      parseQuery({}, req.query);
      const id = req.params.consentId as string;
      const snapshot = await readConsentSnapshot(deps.store, id);
      if (!snapshot) throw ApiError.notFound(`No consent ${id}.`);
      res.set('Cache-Control', 'no-store').json({ data: internalView(snapshot) });
    },
  );

  router.use(problemHandler(deps.logger));
  return router;
}
