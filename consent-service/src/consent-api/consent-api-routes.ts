import express, { Router } from 'express';
import type { RequestHandler } from 'express';
import type Provider from 'oidc-provider';
import { ApiError, parseQuery, problemHandler } from '@bund/service-kit';
import type { Logger } from '@bund/service-kit';
import type { ConsentManager } from '../consents/consent-manager.js';
import { InvalidConsentRequest, parseConsentRequest } from '../consents/consent-request.js';
import type { ConsentLimits } from '../consents/consent-request.js';
import { readConsentSnapshot } from '../consents/consent-snapshot.js';
import type { ConsentSnapshot } from '../consents/consent-snapshot.js';
import { TransitionConflict } from '../consents/consent-store.js';
import { isFinal } from '../consents/lifecycle.js';
import { consentPath, consentResponse } from './consent-view.js';
import { replayDetectionCache } from './replay-detection-cache.js';
import { tppClientId, verifyConsentApiToken } from './verify-consent-api-token.js';

export interface ConsentApiDeps {
  provider: Provider;
  consents: ConsentManager;
  limits: ConsentLimits;
  issuer: string;
  /** The consent API's resource indicator (the audience of its tokens). */
  resource: string;
  logger: Logger;
}

/** The scope a client-credentials token needs for the consent API. */
export const CONSENT_API_SCOPE = 'consents';

/** Names the operation (specs/consents.yaml) for metrics and logs. */
const operation =
  (operationId: string): RequestHandler =>
  (_req, res, next) => {
    res.locals.operationId = operationId;
    next();
  };

/** No query parameters are defined; an unknown one is a 400 naming it, as everywhere in Bund. */
const noQuery: RequestHandler = (req, _res, next) => {
  parseQuery({}, req.query);
  next();
};

const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  next();
};

const methodNotAllowed =
  (allow: string): RequestHandler =>
  (req, res) => {
    res.set('Allow', allow);
    throw new ApiError(
      405,
      'method_not_allowed',
      `${req.method} is not allowed here; use ${allow}.`,
    );
  };

/** A body field refused by the shared consent request rules, as a 400 naming it (JSON pointer). */
function invalidBody(error: InvalidConsentRequest): ApiError {
  const pointers = error.field.split(', ').map((field) => `/${field.replaceAll('.', '/')}`);
  return new ApiError(
    400,
    'invalid_parameter',
    error.message,
    pointers.map((parameter) => ({ parameter, detail: error.detail })),
  );
}

/**
 * The TPP consent API (specs/consents.yaml): create, read and withdraw the TPP's own consents
 * with a DPoP-bound client-credentials token. Another TPP's consent is answered exactly like a
 * missing one. Errors are problem+json from here, never the OAuth handler mounted after it.
 */
export function consentApiRouter(deps: ConsentApiDeps): Router {
  const { consents } = deps;
  const router = Router();
  const authenticate = verifyConsentApiToken({
    provider: deps.provider,
    issuer: deps.issuer,
    resource: deps.resource,
    scope: CONSENT_API_SCOPE,
    replayCache: replayDetectionCache(deps.provider),
  });
  const json = express.json({ limit: '16kb' });

  /** The consent, if it exists and belongs to the calling TPP. */
  async function ownConsent(id: string, clientId: string): Promise<ConsentSnapshot> {
    const snapshot = await readConsentSnapshot(consents.store, id);
    if (!snapshot || snapshot.consent.clientId !== clientId)
      throw ApiError.notFound(`No consent ${id}.`);
    return snapshot;
  }

  router.post(
    '/consents',
    operation('createConsent'),
    authenticate,
    noQuery,
    requireJson,
    json,
    async (req, res) => {
      let request;
      try {
        request = parseConsentRequest(req.body, tppClientId(res), deps.limits);
      } catch (error) {
        if (error instanceof InvalidConsentRequest) throw invalidBody(error);
        throw error;
      }
      const consent = await consents.create(request, 'tpp');
      const snapshot = await ownConsent(consent.id, consent.clientId);
      res
        .status(201)
        .location(consentPath(consent.id))
        .set('Cache-Control', 'no-store')
        .json(consentResponse(snapshot));
    },
  );

  router.get(
    '/consents/:consentId',
    operation('getConsent'),
    authenticate,
    noQuery,
    async (req, res) => {
      const snapshot = await ownConsent(req.params.consentId as string, tppClientId(res));
      res.set('Cache-Control', 'no-store').json(consentResponse(snapshot));
    },
  );

  router.delete(
    '/consents/:consentId',
    operation('deleteConsent'),
    authenticate,
    noQuery,
    async (req, res) => {
      const id = req.params.consentId as string;
      const clientId = tppClientId(res);
      // Retried when the customer or the system moves the consent at the same moment.
      for (let attempt = 0; attempt < 3; attempt++) {
        const { consent } = await ownConsent(id, clientId);
        // Already over: a repeated DELETE is answered as the first one was.
        if (isFinal(consent.status)) break;
        // The lifecycle lets a consent not yet authorised only be Rejected, an authorised one Revoked.
        const to = consent.status === 'Authorised' ? 'Revoked' : 'Rejected';
        try {
          await consents.transition(id, to, 'tpp_revoked', 'tpp');
          break;
        } catch (error) {
          if (!(error instanceof TransitionConflict) || attempt === 2) throw error;
        }
      }
      res.status(204).end();
    },
  );

  router.all('/consents', operation('consents'), methodNotAllowed('POST'));
  router.all('/consents/:consentId', operation('consent'), methodNotAllowed('GET, DELETE'));
  router.use(problemHandler(deps.logger));
  return router;
}
