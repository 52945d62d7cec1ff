import { randomUUID } from 'node:crypto';
import type { Knex } from '@bund/service-kit';
import type { Consent, ConsentEvent, CreditSubject } from './consent.js';
import { canTransition } from './lifecycle.js';
import type { Actor, ConsentStatus, ConsentType, Reason } from './lifecycle.js';

interface ConsentRow {
  id: string;
  client_id: string;
  type: ConsentType;
  status: ConsentStatus;
  status_reason: Reason;
  status_updated_at: string;
  customer_id: string | null;
  permissions: string;
  accounts: string;
  subject: string | null;
  purpose: string | null;
  transaction_from: string | null;
  transaction_to: string | null;
  expires_at: string;
  created_at: string;
}

interface EventRow {
  sequence: number;
  consent_id: string;
  client_id: string;
  customer_id: string | null;
  type: ConsentType;
  from_status: ConsentStatus | null;
  to_status: ConsentStatus;
  reason: Reason;
  actor: Actor;
  at: string;
}

function toConsent(row: ConsentRow): Consent {
  return {
    id: row.id,
    clientId: row.client_id,
    type: row.type,
    status: row.status,
    statusReason: row.status_reason,
    statusUpdatedAt: row.status_updated_at,
    customerId: row.customer_id,
    permissions: JSON.parse(row.permissions) as string[],
    accounts: JSON.parse(row.accounts) as string[],
    subject: row.subject ? (JSON.parse(row.subject) as CreditSubject) : null,
    purpose: row.purpose,
    transactionFromDateTime: row.transaction_from,
    transactionToDateTime: row.transaction_to,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}

function toEvent(row: EventRow): ConsentEvent {
  return {
    sequence: Number(row.sequence),
    consentId: row.consent_id,
    clientId: row.client_id,
    customerId: row.customer_id,
    type: row.type,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    reason: row.reason,
    actor: row.actor,
    at: row.at,
  };
}

/** What a TPP (or a pushed authorization request) asks for. */
export interface ConsentRequest {
  clientId: string;
  type: ConsentType;
  permissions: string[];
  expiresAt: string;
  purpose?: string | null;
  transactionFromDateTime?: string | null;
  transactionToDateTime?: string | null;
}

/** How far an authorization journey got; a consent abandoned there is counted by it. */
export type JourneyStage = 'before_login' | 'before_account_selection' | 'before_approval';

/** What changes with a status transition besides the status. */
export interface TransitionChanges {
  customerId?: string;
  accounts?: string[];
  subject?: CreditSubject;
}

/** Raised when a consent is not in a status that allows the requested transition. */
export class TransitionConflict extends Error {
  constructor(
    readonly consentId: string,
    readonly status: ConsentStatus | undefined,
    readonly wanted: ConsentStatus,
  ) {
    super(`consent ${consentId} is ${status ?? 'missing'}; cannot become ${wanted}`);
  }
}

/**
 * Consents and their history. Every write stores the status change as an event in the same
 * transaction, so the history and the change feed can never disagree with the consent.
 * `onCommitted` runs after a write commits: the change feed's wake-up call. A wake-up lost to a
 * crash right after commit is not a lost event, because subscribers read events by sequence.
 */
export class ConsentStore {
  constructor(
    private readonly db: Knex,
    private readonly onCommitted: () => Promise<void> | void = () => undefined,
  ) {}

  async create(request: ConsentRequest, actor: Actor): Promise<Consent> {
    const now = new Date().toISOString();
    const row: ConsentRow = {
      id: randomUUID(),
      client_id: request.clientId,
      type: request.type,
      status: 'AwaitingAuthorisation',
      status_reason: 'created',
      status_updated_at: now,
      customer_id: null,
      permissions: JSON.stringify(request.permissions),
      accounts: '[]',
      subject: null,
      purpose: request.purpose ?? null,
      transaction_from: request.transactionFromDateTime ?? null,
      transaction_to: request.transactionToDateTime ?? null,
      expires_at: request.expiresAt,
      created_at: now,
    };
    await this.db.transaction(async (trx) => {
      await trx('consents').insert(row);
      await this.recordEvent(trx, row, null, 'created', actor, now);
    });
    await this.onCommitted();
    return toConsent(row);
  }

  async find(id: string): Promise<Consent | undefined> {
    const row = await this.db<ConsentRow>('consents').where({ id }).first();
    return row ? toConsent(row) : undefined;
  }

  /** Every consent the customer authorised or was asked for, newest first. */
  async listForCustomer(customerId: string): Promise<Consent[]> {
    const rows = await this.db<ConsentRow>('consents')
      .where({ customer_id: customerId })
      .orderBy('created_at', 'desc');
    return rows.map(toConsent);
  }

  async history(consentId: string): Promise<ConsentEvent[]> {
    const rows = await this.db<EventRow>('consent_events')
      .where({ consent_id: consentId })
      .orderBy('sequence', 'asc');
    return rows.map(toEvent);
  }

  /** Events after `sequence`, oldest first: what a change-feed subscriber has not seen. */
  async eventsAfter(sequence: number, limit = 500): Promise<ConsentEvent[]> {
    const rows = await this.db<EventRow>('consent_events')
      .where('sequence', '>', sequence)
      .orderBy('sequence', 'asc')
      .limit(limit);
    return rows.map(toEvent);
  }

  async latestSequence(): Promise<number> {
    const row = (await this.db('consent_events').max({ latest: 'sequence' }).first()) as
      { latest: number | string | null } | undefined;
    return Number(row?.latest ?? 0);
  }

  /**
   * Moves a consent to `to`, only if its current status allows it (checked in the UPDATE, so
   * two concurrent transitions cannot both win), and records the event.
   */
  async transition(
    id: string,
    to: ConsentStatus,
    reason: Reason,
    actor: Actor,
    changes: TransitionChanges = {},
  ): Promise<Consent> {
    const consent = await this.db.transaction(async (trx) => {
      const current = await trx<ConsentRow>('consents').where({ id }).first();
      if (!current || !canTransition(current.status, to))
        throw new TransitionConflict(id, current?.status, to);
      const now = new Date().toISOString();
      const update: Partial<ConsentRow> = {
        status: to,
        status_reason: reason,
        status_updated_at: now,
      };
      if (changes.customerId !== undefined) update.customer_id = changes.customerId;
      if (changes.accounts !== undefined) update.accounts = JSON.stringify(changes.accounts);
      if (changes.subject !== undefined) update.subject = JSON.stringify(changes.subject);
      const updated = await trx('consents').where({ id, status: current.status }).update(update);
      if (updated !== 1) throw new TransitionConflict(id, undefined, to);
      const next = { ...current, ...update } as ConsentRow;
      await this.recordEvent(trx, next, current.status, reason, actor, now);
      return toConsent(next);
    });
    await this.onCommitted();
    return consent;
  }

  /** The consent being decided in an authorization journey. */
  async findByInteraction(uid: string): Promise<Consent | undefined> {
    const row = (await this.db('consents').where({ interaction_uid: uid }).first()) as
      ConsentRow | undefined;
    return row ? toConsent(row) : undefined;
  }

  /** How far the customer got in deciding an awaiting consent (for abandonment metrics). */
  async journeyStage(id: string): Promise<JourneyStage | null> {
    const row = (await this.db('consents').where({ id }).first('journey_stage')) as
      { journey_stage: JourneyStage | null } | undefined;
    return row?.journey_stage ?? null;
  }

  /**
   * Records progress of the journey deciding an awaiting consent: which interaction, which
   * customer (once logged in), the accounts chosen so far, and the stage reached.
   */
  async recordJourney(
    id: string,
    progress: {
      interactionUid?: string;
      customerId?: string;
      accounts?: string[];
      stage?: JourneyStage;
    },
  ): Promise<void> {
    const update: Record<string, unknown> = {};
    if (progress.stage !== undefined) update.journey_stage = progress.stage;
    if (progress.interactionUid !== undefined) update.interaction_uid = progress.interactionUid;
    if (progress.customerId !== undefined) update.customer_id = progress.customerId;
    if (progress.accounts !== undefined) update.accounts = JSON.stringify(progress.accounts);
    await this.db('consents').where({ id, status: 'AwaitingAuthorisation' }).update(update);
  }

  /** Consents that should leave their status because time ran out. */
  async dueForTimeout(
    awaitingBefore: string,
    now: string,
  ): Promise<{ abandoned: string[]; expired: string[] }> {
    const abandoned = await this.db<ConsentRow>('consents')
      .where({ status: 'AwaitingAuthorisation' })
      .andWhere('created_at', '<', awaitingBefore)
      .pluck('id');
    const expired = await this.db<ConsentRow>('consents')
      .where({ status: 'Authorised' })
      .andWhere('expires_at', '<=', now)
      .pluck('id');
    return { abandoned, expired };
  }

  /** Active (Authorised) consents by type, for the gauge operators watch. */
  async countActiveByType(): Promise<Record<string, number>> {
    const rows = (await this.db('consents')
      .where({ status: 'Authorised' })
      .groupBy('type')
      .select('type')
      .count({ n: '*' })) as { type: string; n: number | string }[];
    return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
  }

  private async recordEvent(
    trx: Knex.Transaction,
    row: ConsentRow,
    from: ConsentStatus | null,
    reason: Reason,
    actor: Actor,
    at: string,
  ) {
    // The change feed reads "events after the last sequence I saw", so sequences must commit in
    // order: on PostgreSQL two transactions could otherwise take 10 and 11 and commit 11 first,
    // and a reader that saw 11 would never see 10. This lock (held until commit) orders them.
    // SQLite has one writer at a time already.
    if (this.db.client.config.client === 'pg') {
      await trx.raw(
        "select pg_advisory_xact_lock(hashtext(current_schema() || ':bund-consent-events'))",
      );
    }
    await trx('consent_events').insert({
      consent_id: row.id,
      client_id: row.client_id,
      customer_id: row.customer_id,
      type: row.type,
      from_status: from,
      to_status: row.status,
      reason,
      actor,
      at,
    });
  }
}
