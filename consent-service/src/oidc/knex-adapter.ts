import type { Knex } from '@bund/service-kit';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** The table that holds every oidc-provider model (sessions, grants, codes, tokens, …). */
export const OIDC_TABLE = 'oidc_models';

/**
 * Models written once and never updated: a second write of the same id means a replayed
 * client assertion or DPoP proof, so it must fail instead of overwriting (oidc-provider does
 * find-then-upsert, which would let two concurrent replays both pass).
 */
const INSERT_ONLY = new Set(['ReplayDetection']);

interface Row {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function toPayload(row: Row | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  if (row.expires_at !== null && row.expires_at <= nowSeconds()) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed_at === null ? payload : { ...payload, consumed: row.consumed_at };
}

/** Thrown when a replay-protected value is seen a second time. */
export class DuplicateReplayValue extends Error {}

/**
 * An oidc-provider adapter on knex: one table for all models, keyed by (model, id), with the
 * lookups the provider needs (by grant id, session uid, user code) indexed.
 */
export class KnexAdapter implements Adapter {
  constructor(
    private readonly db: Knex,
    private readonly model: string,
  ) {}

  private rows() {
    return this.db<Row>(OIDC_TABLE).where({ model: this.model });
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const row: Row = {
      model: this.model,
      id,
      payload: JSON.stringify(payload),
      grant_id: payload.grantId ?? null,
      uid: payload.uid ?? null,
      user_code: payload.userCode ?? null,
      expires_at: expiresIn ? nowSeconds() + expiresIn : null,
      consumed_at: null,
    };
    if (INSERT_ONLY.has(this.model)) {
      try {
        await this.db(OIDC_TABLE).insert(row);
      } catch (error) {
        throw new DuplicateReplayValue(`replayed ${this.model} value`, { cause: error });
      }
      return;
    }
    await this.db(OIDC_TABLE)
      .insert(row)
      .onConflict(['model', 'id'])
      .merge(['payload', 'grant_id', 'uid', 'user_code', 'expires_at', 'consumed_at']);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return toPayload(await this.rows().andWhere({ id }).first());
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return toPayload(await this.rows().andWhere({ uid }).first());
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return toPayload(await this.rows().andWhere({ user_code: userCode }).first());
  }

  /** Atomic, so two concurrent redemptions of one code cannot both see it unconsumed. */
  async consume(id: string): Promise<void> {
    await this.rows()
      .andWhere({ id })
      .whereNull('consumed_at')
      .update({ consumed_at: nowSeconds() });
  }

  async destroy(id: string): Promise<void> {
    await this.rows().andWhere({ id }).delete();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.rows().andWhere({ grant_id: grantId }).delete();
  }
}

/** Deletes every expired row; run periodically so the table does not grow without bound. */
export async function purgeExpired(db: Knex): Promise<number> {
  return db(OIDC_TABLE).where('expires_at', '<=', nowSeconds()).delete();
}
