import { Router } from 'express';
import type { Response } from 'express';
import { AuthorizationResponseError, ResponseBodyError } from 'openid-client';
import type { Logger } from '@bund/service-kit';
import type { BankClient, GrantedDetail } from './open-banking.js';
import type { Connection, Notice, ProductName, Session, SessionStore } from './sessions.js';
import { connectRefusedPage, unavailablePage } from './views/layout.js';

/**
 * The bank answered our pushed authorization request with an OAuth error that asking again will
 * not cure: our registration, key or request is wrong. A 429, or a DPoP nonce that changed
 * again during openid-client's own retry, is the bank asking us to come back: not this.
 */
function refusedHowWeAsked(error: unknown): error is ResponseBodyError {
  return (
    error instanceof ResponseBodyError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 429 &&
    error.error !== 'use_dpop_nonce'
  );
}

/** Reads one gateway path and returns its JSON body (`data`, `meta`). */
export type GatewayReader = <T>(
  path: string,
) => Promise<{ data: T; meta?: Record<string, unknown> }>;

/** What a product page is drawn from: the data when connected, or why not. */
export interface ProductView<Data> {
  data?: Data;
  granted?: GrantedDetail;
  notice?: Notice;
}

/** One product of the app: what it asks the bank for, what it reads, how it shows it. */
export interface Product<Data> {
  name: ProductName;
  /** The OAuth scope that goes with the consent type. */
  scope: string;
  /** What we ask the customer to consent to (RFC 9396), fresh dates on every request. */
  authorizationDetails(): unknown[];
  /** Reads everything the page shows through the gateway. */
  load(read: GatewayReader, granted: GrantedDetail): Promise<Data>;
  render(view: ProductView<Data>): string;
}

/** The bank no longer honours the connection; the customer must reconnect. */
class ConnectionEnded extends Error {
  constructor(readonly reason: 'revoked' | 'expired' | 'ended') {
    super(`connection ${reason}`);
  }
}
/** The bank or its gateway did not answer as expected; the connection itself may be fine. */
class BankUnavailable extends Error {}
/** The gateway asks us to slow down (429); the connection is fine. */
class SlowDown extends Error {
  constructor(readonly retryAfterSeconds?: number) {
    super('the gateway asks us to slow down');
  }
}
/** The gateway refused the access token (401): refresh it and try once more. */
class TokenRejected extends Error {}

/** The gateway's 403 codes that mean the consent is over. */
const ENDED_CODES: Record<string, ConnectionEnded['reason']> = {
  consent_revoked: 'revoked',
  consent_expired: 'expired',
  consent_not_authorised: 'ended',
};

export interface ConnectionDeps {
  bank: BankClient;
  sessions: SessionStore;
  publicUrl: string;
  logger: Logger;
}

function sendPage(res: Response, page: string, status = 200) {
  // Pages carry personal data: never cached.
  res.status(status).type('html').set('Cache-Control', 'no-store').send(page);
}

/**
 * The routes of one product: its page, connect (→ the bank), the callback (← the bank),
 * refresh and disconnect. The open-banking calls themselves are in open-banking.ts.
 */
export function connectionRoutes<Data>(product: Product<Data>, deps: ConnectionDeps): Router {
  const { bank, sessions, logger } = deps;
  const base = `/${product.name}`;
  // Must equal one of the redirect URIs registered at the bank, character for character.
  const redirectUri = `${deps.publicUrl}${base}/callback`;
  const router = Router();

  /** After invalid_grant: ask the bank's consent API why, to tell the customer plainly. */
  async function whyEnded(session: Session, consentId: string): Promise<ConnectionEnded> {
    const status = await bank.consentStatus(session.dpop, consentId).catch(() => undefined);
    return new ConnectionEnded(
      status === 'Revoked' ? 'revoked' : status === 'Expired' ? 'expired' : 'ended',
    );
  }

  async function refresh(session: Session, connection: Connection): Promise<void> {
    try {
      connection.tokens = await bank.refresh(session.dpop, connection.tokens!);
    } catch (error) {
      if (error instanceof ResponseBodyError && error.error === 'invalid_grant')
        throw await whyEnded(session, connection.tokens!.consentId);
      throw new BankUnavailable('refreshing the token failed', { cause: error });
    }
  }

  function reader(session: Session, connection: Connection): GatewayReader {
    return async (path) => {
      const answer = await bank
        .readGateway(session.dpop, connection.tokens!, path)
        .catch((error: unknown) => {
          throw new BankUnavailable(`GET ${path} failed`, { cause: error });
        });
      const code = answer.body.code ?? '';
      if (answer.status === 200) return answer.body as never;
      if (answer.status === 401) throw new TokenRejected();
      if (answer.status === 403 && ENDED_CODES[code]) throw new ConnectionEnded(ENDED_CODES[code]);
      if (answer.status === 429) throw new SlowDown(answer.retryAfterSeconds);
      // 5xx, or an answer we did not expect: logged, and the connection stays.
      throw new BankUnavailable(`GET ${path}: ${answer.status} ${code}`);
    };
  }

  /** Reads the product's data, refreshing the access token when it is about to expire. */
  async function load(session: Session, connection: Connection): Promise<Data> {
    if (connection.tokens!.expiresAt - 30_000 < Date.now()) await refresh(session, connection);
    try {
      return await product.load(reader(session, connection), connection.tokens!.granted);
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
    }
    await refresh(session, connection);
    return product.load(reader(session, connection), connection.tokens!.granted).catch((error) => {
      throw error instanceof TokenRejected
        ? new BankUnavailable('a fresh token was refused')
        : error;
    });
  }

  /** Forgets the tokens of a connection the bank has ended, and says why. */
  function end(connection: Connection, notice: Notice) {
    delete connection.tokens;
    connection.notice = notice;
  }

  router.get(base, async (req, res) => {
    const session = sessions.find(req);
    const connection = session?.products[product.name];
    if (!session || !connection?.tokens) {
      sendPage(res, product.render({ notice: connection?.notice }));
      return;
    }
    try {
      const data = await load(session, connection);
      // A notice next to the data (a disconnect that failed) is shown once.
      const shown = connection.notice;
      delete connection.notice;
      sendPage(res, product.render({ data, granted: connection.tokens!.granted, notice: shown }));
    } catch (error) {
      if (error instanceof ConnectionEnded) {
        end(connection, error.reason);
        sendPage(res, product.render({ notice: error.reason }));
      } else if (error instanceof SlowDown) {
        sendPage(res, unavailablePage(product.name, 'slow_down', error.retryAfterSeconds), 503);
      } else if (error instanceof BankUnavailable) {
        logger.warn({ err: error.cause ?? error, product: product.name }, error.message);
        sendPage(res, unavailablePage(product.name), 503);
      } else throw error;
    }
  });

  // "Connect your bank": push the request to the bank, then send the browser there.
  // Not while we hold tokens: dropping them would leave their consent live at the bank with no
  // way for us to end it. The page offers (Re)connect only once the bank has ended the old
  // consent (or the customer disconnected); the page read below finds out if it has.
  router.post(`${base}/connect`, async (req, res) => {
    const session = await sessions.findOrCreate(req, res, bank.newDpop);
    const connection = (session.products[product.name] ??= {});
    if (connection.tokens) {
      res.redirect(303, base);
      return;
    }
    let started: Awaited<ReturnType<typeof bank.startAuthorization>>;
    try {
      started = await bank.startAuthorization(session.dpop, {
        redirectUri,
        scope: product.scope,
        authorizationDetails: product.authorizationDetails(),
      });
    } catch (error) {
      // Nothing began. A 4xx OAuth error means the bank refused how we asked (our registration,
      // key or request is wrong): that needs a developer, not a retry, so it is an error with
      // the bank's reason. Anything else is the bank not answering.
      if (refusedHowWeAsked(error)) {
        logger.error(
          {
            product: product.name,
            status: error.status,
            error: error.error,
            description: error.error_description,
          },
          'the bank refused our pushed authorization request; check this app’s registration',
        );
        sendPage(res, connectRefusedPage(product.name), 502);
        return;
      }
      logger.warn({ err: error, product: product.name }, 'starting to connect failed');
      sendPage(res, unavailablePage(product.name, 'connect_unavailable'), 503);
      return;
    }
    connection.pending = started.pending;
    res.redirect(303, started.url.href);
  });

  // The customer is back from the bank with a code, or with error=access_denied.
  router.get(`${base}/callback`, async (req, res) => {
    const session = sessions.find(req);
    const connection = session?.products[product.name];
    const pending = connection?.pending;
    if (!session || !connection || !pending) {
      // Not a journey we started (or one already finished): nothing to redeem.
      res.redirect(303, base);
      return;
    }
    delete connection.pending; // the checks are single-use
    try {
      const callbackUrl = new URL(req.originalUrl, deps.publicUrl);
      connection.tokens = await bank.finishAuthorization(session.dpop, callbackUrl, pending);
      delete connection.notice;
    } catch (error) {
      const refused =
        error instanceof AuthorizationResponseError && error.error === 'access_denied';
      if (!refused) logger.warn({ err: error, product: product.name }, 'connecting failed');
      connection.notice = refused ? 'refused' : 'failed';
    }
    res.redirect(303, base);
  });

  // "Refresh": a new access token now, then the page reads everything again.
  router.post(`${base}/refresh`, async (req, res) => {
    const session = sessions.find(req);
    const connection = session?.products[product.name];
    if (session && connection?.tokens) {
      try {
        await refresh(session, connection);
      } catch (error) {
        if (error instanceof ConnectionEnded) end(connection, error.reason);
        else logger.warn({ err: error, product: product.name }, 'refresh failed');
      }
    }
    res.redirect(303, base);
  });

  // "Disconnect": ask the bank to end the consent; forget the tokens only once it has.
  router.post(`${base}/disconnect`, async (req, res) => {
    const session = sessions.find(req);
    const connection = session?.products[product.name];
    if (session && connection?.tokens) {
      try {
        await bank.endConsent(session.dpop, connection.tokens.consentId);
        end(connection, 'disconnected');
      } catch (error) {
        // The consent may still be live: keep the tokens so that the customer can try again.
        logger.warn({ err: error, product: product.name }, 'ending the consent failed');
        connection.notice = 'not_disconnected';
      }
    }
    res.redirect(303, base);
  });

  return router;
}
