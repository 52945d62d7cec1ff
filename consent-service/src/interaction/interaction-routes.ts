import express, { Router } from 'express';
import type { Request, Response } from 'express';
import { errors } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Logger } from '@bund/service-kit';
import { loadPermissions } from '@bund/specs';
import type { Bank, BankAccount, BankCustomer } from '../bank/bank-client.js';
import type { Consent, CreditSubject } from '../consents/consent.js';
import type { ConsentManager } from '../consents/consent-manager.js';
import { InvalidConsentRequest, parseConsentRequest } from '../consents/consent-request.js';
import type { ConsentLimits } from '../consents/consent-request.js';
import { TransitionConflict } from '../consents/consent-store.js';
import type { ConsentMetrics } from '../metrics.js';
import type { ClientDisplay } from '../oidc/clients.js';
import { RESOURCE_SCOPES } from '../oidc/provider.js';
import type { Resources } from '../oidc/provider.js';
import type { Pages } from '../views/render.js';
import type { ClientView, ConsentRequestView, Lang, ReviewView } from '../views/view-models.js';
import type { Csrf } from '../web/csrf.js';
import { pageContext, sendPage } from '../web/page-context.js';
import type { CustomerLogin } from '../login/customer-login.js';
import { grantedDetail } from './granted-detail.js';

export interface InteractionDeps {
  provider: Provider;
  consents: ConsentManager;
  bank: Bank;
  /** The password check, with its throttle. */
  login: CustomerLogin;
  pages: Pages;
  clients: ReadonlyMap<string, ClientDisplay>;
  csrf: Csrf;
  limits: ConsentLimits;
  resources: Resources;
  metrics: ConsentMetrics;
  logger: Logger;
}

const permissions = loadPermissions();
const ENTERPRISE_PERMISSIONS = new Set(
  [...permissions.keys()].filter((p) => p.startsWith('ReadEnterprise')),
);

/** The TPP as the customer sees it, in the page's language. */
export function clientView(
  clients: ReadonlyMap<string, ClientDisplay>,
  clientId: string,
  lang: Lang,
): ClientView {
  const display = clients.get(clientId);
  return {
    id: clientId,
    name: display?.name[lang] ?? clientId,
    ...(display?.logoUri ? { logoUri: display.logoUri } : {}),
  };
}

/** What a consent asks for, in words from the permission vocabulary. */
export function requestView(consent: Consent): ConsentRequestView {
  return {
    type: consent.type,
    permissions: consent.permissions.map((name) => ({
      name,
      text: permissions.get(name)?.text ?? { en: name, zh: name },
    })),
    expiresAt: consent.expiresAt,
    ...(consent.transactionFromDateTime
      ? { transactionFrom: consent.transactionFromDateTime }
      : {}),
    ...(consent.transactionToDateTime ? { transactionTo: consent.transactionToDateTime } : {}),
    ...(consent.purpose ? { purpose: consent.purpose } : {}),
  };
}

/** Whose credit data a consent would cover; fixed by the bank, never by the TPP. */
function subjectOf(customer: BankCustomer): CreditSubject {
  return customer.kind === 'sme' && customer.creditCode
    ? { kind: 'enterprise', creditCode: customer.creditCode }
    : { kind: 'individual' };
}

/** True when the requested credit permissions fit the customer (enterprise data for SMEs only). */
function fitsSubject(consent: Consent, subject: CreditSubject): boolean {
  const enterprise = consent.permissions.some((p) => ENTERPRISE_PERMISSIONS.has(p));
  const personal = consent.permissions.some((p) => !ENTERPRISE_PERMISSIONS.has(p));
  return subject.kind === 'enterprise' ? !personal : !enterprise;
}

function chosenAccounts(body: unknown): string[] {
  const value = (body as Record<string, unknown> | undefined)?.accounts;
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return [...new Set(list.filter((v): v is string => typeof v === 'string'))];
}

/** Ends the journey with an OAuth error sent to the TPP's redirect URI. */
async function finishWithError(
  provider: Provider,
  req: Request,
  res: Response,
  error: string,
  description: string,
) {
  const result: InteractionResults = { error, error_description: description };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

/**
 * The customer's side of an authorization: log in, choose accounts, review, approve or
 * refuse. Every step re-reads the interaction and the consent, so a reload, a back button or
 * a second tab cannot skip a step or decide a consent twice.
 */
export function interactionRouter(deps: InteractionDeps): Router {
  const { provider, consents, bank, pages, csrf, metrics } = deps;
  const store = consents.store;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 50 });

  /** The interaction, its consent (created on first sight from the pushed details), and the page context. */
  async function journey(req: Request, res: Response) {
    const details = await provider.interactionDetails(req, res);
    const clientId = String(details.params.client_id);
    // After login oidc-provider starts a new interaction for the consent prompt; the login
    // result (stored server-side) carries the consent across so no second one is created.
    const carried = (details.lastSubmission as { bundConsentId?: unknown } | undefined)
      ?.bundConsentId;
    let consent = await store.findByInteraction(details.uid);
    if (!consent && typeof carried === 'string') {
      consent = await store.find(carried);
      if (consent) await store.recordJourney(consent.id, { interactionUid: details.uid });
    }
    if (!consent) {
      const raw =
        typeof details.params.authorization_details === 'string'
          ? (JSON.parse(details.params.authorization_details) as unknown[])
          : [];
      if (raw.length !== 1) {
        await finishWithError(
          provider,
          req,
          res,
          'invalid_request',
          'exactly one authorization_details entry is required',
        );
        return undefined;
      }
      const detail = raw[0] as Record<string, unknown>;
      if (typeof detail.consent_id === 'string') {
        consent = await store.find(detail.consent_id);
      } else {
        try {
          consent = await consents.create(
            parseConsentRequest(detail, clientId, deps.limits),
            'tpp',
          );
        } catch (error) {
          if (!(error instanceof InvalidConsentRequest)) throw error;
          await finishWithError(provider, req, res, 'invalid_authorization_details', error.message);
          return undefined;
        }
      }
      if (consent)
        await store.recordJourney(consent.id, {
          interactionUid: details.uid,
          stage: 'before_login',
        });
    }
    if (!consent || consent.clientId !== clientId) {
      await finishWithError(
        provider,
        req,
        res,
        'invalid_authorization_details',
        'consent_id does not name a consent of this client',
      );
      return undefined;
    }
    if (consent.status !== 'AwaitingAuthorisation') {
      await finishWithError(
        provider,
        req,
        res,
        'access_denied',
        `the consent is ${consent.status} and can no longer be authorised`,
      );
      return undefined;
    }
    const customerId = details.session?.accountId;
    if (
      details.prompt.name !== 'login' &&
      consent.customerId &&
      customerId !== consent.customerId
    ) {
      await finishWithError(
        provider,
        req,
        res,
        'access_denied',
        'the consent is being decided by another customer',
      );
      return undefined;
    }
    const context = pageContext(req, res, csrf.generateCsrfToken(req, res));
    return {
      details,
      consent,
      customerId,
      context,
      client: clientView(deps.clients, clientId, context.lang),
    };
  }

  async function reviewView(
    j: NonNullable<Awaited<ReturnType<typeof journey>>>,
    customer: BankCustomer,
    accounts: BankAccount[],
  ): Promise<ReviewView> {
    const uid = j.details.uid;
    const subject = subjectOf(customer);
    return {
      ...j.context,
      client: j.client,
      request: requestView(j.consent),
      customerName: customer.name,
      accounts: accounts.filter((a) => j.consent.accounts.includes(a.id)),
      ...(j.consent.type === 'credit_data_sharing'
        ? {
            subject:
              subject.kind === 'enterprise'
                ? {
                    kind: 'enterprise' as const,
                    name: customer.name,
                    creditCode: subject.creditCode,
                  }
                : { kind: 'individual' as const, name: customer.name },
          }
        : { changeAccountsHref: `/interaction/${uid}?step=accounts` }),
      approveAction: `/interaction/${uid}/approve`,
      refuseAction: `/interaction/${uid}/refuse`,
      ...(j.consent.type === 'credit_data_sharing' && !fitsSubject(j.consent, subject)
        ? { error: 'subject_mismatch' as const }
        : {}),
    };
  }

  router.get('/interaction/:uid', async (req, res) => {
    const j = await journey(req, res);
    if (!j) return;
    const uid = j.details.uid;
    if (j.details.prompt.name === 'login') {
      sendPage(
        res,
        pages.login({
          ...j.context,
          action: `/interaction/${uid}/login`,
          refuseAction: `/interaction/${uid}/refuse`,
          client: j.client,
          request: requestView(j.consent),
        }),
      );
      return;
    }
    const customerId = j.customerId!;
    if (!j.consent.customerId)
      await store.recordJourney(j.consent.id, { customerId, stage: 'before_account_selection' });
    const [customer, accounts] = await Promise.all([
      bank.customer(customerId),
      bank.accounts(customerId),
    ]);
    const choosing =
      j.consent.type === 'account_information' &&
      (j.consent.accounts.length === 0 || req.query.step === 'accounts');
    if (choosing) {
      sendPage(
        res,
        pages.selectAccounts({
          ...j.context,
          client: j.client,
          request: requestView(j.consent),
          customerName: customer.name,
          accounts,
          selected: j.consent.accounts,
          action: `/interaction/${uid}/accounts`,
          refuseAction: `/interaction/${uid}/refuse`,
        }),
      );
      return;
    }
    sendPage(res, pages.review(await reviewView(j, customer, accounts)));
  });

  router.post('/interaction/:uid/login', form, csrf.doubleCsrfProtection, async (req, res) => {
    const j = await journey(req, res);
    if (!j) return;
    const { username, ...outcome } = await deps.login.checkForm(req, res);
    if ('error' in outcome) {
      sendPage(
        res,
        pages.login({
          ...j.context,
          action: `/interaction/${j.details.uid}/login`,
          refuseAction: `/interaction/${j.details.uid}/refuse`,
          client: j.client,
          request: requestView(j.consent),
          username,
          error: outcome.error,
        }),
        outcome.status,
      );
      return;
    }
    const { customer } = outcome;
    await store.recordJourney(j.consent.id, {
      customerId: customer.customerId,
      stage: 'before_account_selection',
    });
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: customer.customerId }, bundConsentId: j.consent.id },
      { mergeWithLastSubmission: false },
    );
  });

  router.post('/interaction/:uid/accounts', form, csrf.doubleCsrfProtection, async (req, res) => {
    const j = await journey(req, res);
    if (!j) return;
    if (j.details.prompt.name !== 'consent' || j.consent.type !== 'account_information') {
      res.redirect(303, `/interaction/${j.details.uid}`);
      return;
    }
    const customerId = j.customerId!;
    const [customer, accounts] = await Promise.all([
      bank.customer(customerId),
      bank.accounts(customerId),
    ]);
    const chosen = chosenAccounts(req.body);
    const own = new Set(accounts.map((a) => a.id));
    const error =
      chosen.length === 0
        ? 'no_account_selected'
        : chosen.some((id) => !own.has(id))
          ? 'unknown_account'
          : undefined;
    if (error) {
      sendPage(
        res,
        pages.selectAccounts({
          ...j.context,
          client: j.client,
          request: requestView(j.consent),
          customerName: customer.name,
          accounts,
          selected: chosen.filter((id) => own.has(id)),
          action: `/interaction/${j.details.uid}/accounts`,
          refuseAction: `/interaction/${j.details.uid}/refuse`,
          error,
        }),
        400,
      );
      return;
    }
    await store.recordJourney(j.consent.id, { accounts: chosen, stage: 'before_approval' });
    res.redirect(303, `/interaction/${j.details.uid}`);
  });

  router.post('/interaction/:uid/approve', form, csrf.doubleCsrfProtection, async (req, res) => {
    const j = await journey(req, res);
    if (!j) return;
    if (j.details.prompt.name !== 'consent') {
      res.redirect(303, `/interaction/${j.details.uid}`);
      return;
    }
    const customerId = j.customerId!;
    const [customer, accounts] = await Promise.all([
      bank.customer(customerId),
      // Fresh from the bank: the decision must rest on what the customer owns now.
      bank.accounts(customerId, { fresh: true }),
    ]);
    let authorised: Consent;
    if (j.consent.type === 'account_information') {
      // Re-checked at approval: the accounts must still be the customer's own.
      const own = new Set(accounts.map((a) => a.id));
      if (j.consent.accounts.length === 0 || j.consent.accounts.some((id) => !own.has(id))) {
        res.redirect(303, `/interaction/${j.details.uid}?step=accounts`);
        return;
      }
      authorised = { ...j.consent, customerId };
    } else {
      const subject = subjectOf(customer);
      if (!fitsSubject(j.consent, subject)) {
        sendPage(res, pages.review(await reviewView(j, customer, accounts)), 400);
        return;
      }
      authorised = { ...j.consent, customerId, subject };
    }

    // The grant is the consent: same id, so every token names its consent.
    // (The typings omit `jti`, which oidc-provider accepts to choose the grant id.)
    const grant = new provider.Grant({
      jti: authorised.id,
      accountId: customerId,
      clientId: authorised.clientId,
    } as ConstructorParameters<typeof provider.Grant>[0]);
    const promptDetails = j.details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (promptDetails.missingOIDCScope)
      grant.addOIDCScope(promptDetails.missingOIDCScope.join(' '));
    if (promptDetails.missingOIDCClaims) grant.addOIDCClaims(promptDetails.missingOIDCClaims);
    const typeScope =
      authorised.type === 'account_information'
        ? RESOURCE_SCOPES.gateway[0]
        : RESOURCE_SCOPES.gateway[1];
    grant.addResourceScope(deps.resources.gateway, typeScope);
    grant.addRar(grantedDetail(authorised) as Parameters<typeof grant.addRar>[0]);
    await grant.save();
    try {
      await consents.transition(authorised.id, 'Authorised', 'customer_authorised', 'customer', {
        customerId,
        accounts: authorised.accounts,
        ...(authorised.subject ? { subject: authorised.subject } : {}),
      });
    } catch (error) {
      await grant.destroy();
      if (!(error instanceof TransitionConflict)) throw error;
      await finishWithError(
        provider,
        req,
        res,
        'access_denied',
        'the consent changed while it was being authorised',
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId: authorised.id } },
      { mergeWithLastSubmission: true },
    );
  });

  router.post('/interaction/:uid/refuse', form, csrf.doubleCsrfProtection, async (req, res) => {
    const j = await journey(req, res);
    if (!j) return;
    try {
      await consents.transition(
        j.consent.id,
        'Rejected',
        'customer_refused',
        'customer',
        j.customerId ? { customerId: j.customerId } : {},
      );
      metrics.journeysAbandoned.inc({ stage: 'refused' });
    } catch (error) {
      if (!(error instanceof TransitionConflict)) throw error;
    }
    await finishWithError(provider, req, res, 'access_denied', 'the customer refused the request');
  });

  return router;
}

/** True for the error oidc-provider throws when the interaction cookie or record is gone. */
export function isSessionNotFound(error: unknown): boolean {
  return error instanceof errors.SessionNotFound;
}
