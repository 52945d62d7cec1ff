import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DPoPHandle } from 'openid-client';
import type { PendingAuthorization, Tokens } from './open-banking.js';

export type ProductName = 'budgeting' | 'loan';

/** Why a product shows a message instead of (or above) the customer's data. */
export type Notice = 'refused' | 'revoked' | 'expired' | 'ended' | 'failed' | 'disconnected';

/** One product's link to the bank for one visitor. */
export interface Connection {
  /** Between pushing the request and the customer's return to the callback. */
  pending?: PendingAuthorization;
  tokens?: Tokens;
  notice?: Notice;
}

export interface Session {
  id: string;
  /** One DPoP key per session: every token of this visitor is bound to it. */
  dpop: DPoPHandle;
  products: Partial<Record<ProductName, Connection>>;
  lastSeen: number;
}

const COOKIE = 'tidewater_session';

/**
 * Visitors' sessions in memory, keyed by a random id in an HttpOnly, SameSite=Lax cookie. The
 * tokens stay here, on the server; the browser only ever holds the session id. A real app would
 * keep them in an encrypted store that survives restarts.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: { secureCookie: boolean; idleMs?: number }) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private get idleMs() {
    return this.options.idleMs ?? 8 * 3600_000;
  }

  /** The visitor's session, if they have a live one. */
  find(req: Request): Session | undefined {
    const id = /(?:^|;\s*)tidewater_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const session = id ? this.sessions.get(id) : undefined;
    if (!session || Date.now() - session.lastSeen > this.idleMs) return undefined;
    session.lastSeen = Date.now();
    return session;
  }

  /** The visitor's session, or a new one (with a new DPoP key) and its cookie. */
  async findOrCreate(
    req: Request,
    res: Response,
    newDpop: () => Promise<DPoPHandle>,
  ): Promise<Session> {
    const existing = this.find(req);
    if (existing) return existing;
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      dpop: await newDpop(),
      products: {},
      lastSeen: Date.now(),
    };
    this.sessions.set(session.id, session);
    res.cookie(COOKIE, session.id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.options.secureCookie,
      path: '/',
    });
    return session;
  }

  private sweep() {
    for (const [id, session] of this.sessions)
      if (Date.now() - session.lastSeen > this.idleMs) this.sessions.delete(id);
  }

  close() {
    clearInterval(this.sweeper);
    this.sessions.clear();
  }
}
