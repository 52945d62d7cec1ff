import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DPoPHandle } from 'openid-client';
import type { PendingAuthorization, Tokens } from './open-banking.js';

export type ProductName = 'budgeting' | 'loan';

/** Why a product shows a message instead of (or above) the customer's data. */
export type Notice =
  'refused' | 'revoked' | 'expired' | 'ended' | 'failed' | 'disconnected' | 'not_disconnected';

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
/** A session that never connected (at most a journey to the bank) is forgotten sooner. */
const UNCONNECTED_IDLE_MS = 15 * 60_000;

/**
 * Visitors' sessions in memory, keyed by a random id in an HttpOnly, SameSite=Lax cookie. The
 * tokens stay here, on the server; the browser only ever holds the session id. A real app would
 * keep them in an encrypted store that survives restarts.
 *
 * Anyone can create a session (one POST to connect), so the store is bounded: idle sessions
 * expire (after 8 hours with a connection, 15 minutes without), and beyond `maxSessions` the
 * least recently used one is forgotten.
 */
export class SessionStore {
  /** In order of last use: the first entry is the one to forget when full. */
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly options: { secureCookie: boolean; idleMs?: number; maxSessions?: number },
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** The visitor's session, if they have a live one. */
  find(req: Request): Session | undefined {
    const id = /(?:^|;\s*)tidewater_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const session = id ? this.sessions.get(id) : undefined;
    if (!session || this.expired(session)) return undefined;
    session.lastSeen = Date.now();
    this.sessions.delete(session.id); // moved to the end: most recently used
    this.sessions.set(session.id, session);
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
    const max = this.options.maxSessions ?? 10_000;
    if (this.sessions.size >= max) this.sweep();
    for (const id of this.sessions.keys()) {
      if (this.sessions.size < max) break;
      this.sessions.delete(id);
    }
    this.sessions.set(session.id, session);
    res.cookie(COOKIE, session.id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.options.secureCookie,
      path: '/',
    });
    return session;
  }

  private expired(session: Session): boolean {
    const connected = Object.values(session.products).some((connection) => connection?.tokens);
    const idleMs = connected ? (this.options.idleMs ?? 8 * 3600_000) : UNCONNECTED_IDLE_MS;
    return Date.now() - session.lastSeen > idleMs;
  }

  private sweep() {
    for (const [id, session] of this.sessions) if (this.expired(session)) this.sessions.delete(id);
  }

  close() {
    clearInterval(this.sweeper);
    this.sessions.clear();
  }
}
