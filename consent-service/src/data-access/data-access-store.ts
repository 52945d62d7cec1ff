import type { Knex } from '@bund/service-kit';
import type { DataAccessOutcome } from '@bund/service-kit';
import type { DataAccessRecord } from './data-access-record.js';

interface DataAccessRow {
  id?: number;
  record_id: string;
  consent_id: string;
  client_id: string;
  operation: string;
  resources: string;
  outcome: DataAccessOutcome;
  status: number;
  at: string;
  interaction_id: string;
}

/** One stored record, as the dashboard shows it. */
export interface StoredDataAccess {
  /** The row's id: with `at`, the record's place in the list ({@link DataAccessPosition}). */
  id: number;
  at: string;
  clientId: string;
  operation: string;
  resources: string[];
  outcome: DataAccessOutcome;
  status: number;
  interactionId: string;
}

/**
 * A place in a consent's records, newest first: by time, then by row id for records of the
 * same millisecond. Paging by place rather than by offset keeps a page's neighbours the same
 * while new records arrive at the top.
 */
export interface DataAccessPosition {
  /** ISO text, as stored. */
  at: string;
  id: number;
}

/** One page of a consent's records, and where it sits among all the records kept. */
export interface DataAccessPage {
  /** Newest first. */
  records: StoredDataAccess[];
  /** All the consent's records still kept. */
  total: number;
  /** How many kept records are newer than the first on this page. */
  newer: number;
}

/** The largest row id: `increments()` is a 32-bit integer column on PostgreSQL. */
const MAX_ROW_ID = 2_147_483_647;
/** Rows per insert statement: well under every database's limit on bound parameters. */
const ROWS_PER_INSERT = 100;
/** Rows per delete when purging: short statements, so the gateway's deliveries never wait long. */
const ROWS_PER_PURGE = 1000;

/**
 * How long records are kept by default: six calendar months at their longest (184 days), so
 * that a deployment where China's Cybersecurity Law (art. 21: network logs kept at least six
 * months) applies to these records meets it, while PIPL (art. 19) asks for personal
 * information to be kept no longer than needed. The customer is told the period.
 */
export const DATA_ACCESS_RETENTION_DAYS = 184;
const DAY_MS = 24 * 60 * 60_000;

/**
 * What TPPs read under each consent, as the gateway reports it. Records are kept by the
 * gateway's record id, so a batch delivered twice (a retry after a lost answer) is stored once.
 */
export class DataAccessStore {
  constructor(
    private readonly db: Knex,
    /** Records older than this many days are not shown, and {@link purgeExpired} deletes them. */
    readonly retentionDays = DATA_ACCESS_RETENTION_DAYS,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new RangeError(
        `data-access retention must be a whole number of days ≥ 1, not ${retentionDays}`,
      );
    }
  }

  /** The oldest `at` still kept (ISO text, which orders as time). */
  private cutoff(): string {
    return new Date(this.now() - this.retentionDays * DAY_MS).toISOString();
  }

  /**
   * Deletes records older than the retention period, a thousand at a time; returns how many.
   * Every replica may run it: a row two of them delete at once is simply gone. A first purge
   * of a large backlog can take a while: `stopping` ends it between two deletes (at shutdown),
   * and the next purge goes on from there.
   */
  async purgeExpired(stopping: () => boolean = () => false): Promise<number> {
    const cutoff = this.cutoff();
    let purged = 0;
    while (!stopping()) {
      const ids = this.db('data_access')
        .where('at', '<', cutoff)
        .select('id')
        .limit(ROWS_PER_PURGE);
      const deleted = await this.db('data_access').whereIn('id', ids).delete();
      purged += deleted;
      if (deleted < ROWS_PER_PURGE) break;
    }
    return purged;
  }

  /** Stores a batch in one transaction: all of it (less records already stored) or nothing. */
  async add(records: readonly DataAccessRecord[]): Promise<void> {
    const rows: DataAccessRow[] = records.map((record) => ({
      record_id: record.recordId,
      consent_id: record.consentId,
      client_id: record.clientId,
      operation: record.operation,
      resources: JSON.stringify(record.resources),
      outcome: record.outcome,
      status: record.status,
      // One format, so ordering by text is ordering by time.
      at: new Date(record.at).toISOString(),
      interaction_id: record.interactionId,
    }));
    await this.db.transaction(async (trx) => {
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        await trx('data_access')
          .insert(rows.slice(start, start + ROWS_PER_INSERT))
          .onConflict('record_id')
          .ignore();
      }
    });
  }

  /** The consent's latest records, newest first. */
  async latest(
    consentId: string,
    limit: number,
    cutoff = this.cutoff(),
  ): Promise<StoredDataAccess[]> {
    const rows = await this.kept(consentId, cutoff)
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(stored);
  }

  /**
   * Up to `limit` of the consent's records, newest first: the latest, the ones just older
   * than `from.olderThan`, or the ones just newer than `from.newerThan`. A page that would be
   * empty, or short at the newest end, is the latest page instead, so a stale link still
   * shows a full page; so is a place no row can have (the id column is a 32-bit integer on
   * PostgreSQL, which refuses a larger value).
   */
  async page(
    consentId: string,
    limit: number,
    from?: { olderThan: DataAccessPosition } | { newerThan: DataAccessPosition },
  ): Promise<DataAccessPage> {
    // One cutoff for the page and its counts, so that they agree.
    const cutoff = this.cutoff();
    const place = from && ('olderThan' in from ? from.olderThan : from.newerThan);
    if (place && !(Number.isInteger(place.id) && place.id >= 0 && place.id <= MAX_ROW_ID))
      from = undefined;
    let records: StoredDataAccess[] = [];
    if (from) {
      // Older: the next ones down. Newer: read oldest first to get those just above, then shown
      // newest first like every page.
      const older = 'olderThan' in from;
      const order = older ? 'desc' : 'asc';
      const rows = await this.kept(consentId, cutoff)
        .andWhere(beyond(older ? '<' : '>', place!))
        .orderBy([
          { column: 'at', order },
          { column: 'id', order },
        ])
        .limit(limit);
      if (older) records = rows.map(stored);
      else if (rows.length === limit) records = rows.map(stored).reverse();
    }
    if (records.length === 0) records = await this.latest(consentId, limit, cutoff);
    const first = records[0];
    const [total, newer] = await Promise.all([
      this.count(this.kept(consentId, cutoff)),
      first ? this.count(this.kept(consentId, cutoff).andWhere(beyond('>', first))) : 0,
    ]);
    return { records, total, newer };
  }

  /** The consent's records still kept (at `cutoff`, the start of the retention period). */
  private kept(
    consentId: string,
    cutoff: string,
  ): Knex.QueryBuilder<DataAccessRow, DataAccessRow[]> {
    return (
      this.db<DataAccessRow>('data_access')
        .where({ consent_id: consentId })
        // Between purges (every few minutes), what is past the period is already not shown.
        .andWhere('at', '>=', cutoff)
    );
  }

  private async count(query: Knex.QueryBuilder<DataAccessRow, DataAccessRow[]>): Promise<number> {
    // PostgreSQL answers a count as text (a bigint).
    const [row] = (await query.count({ n: '*' })) as { n: number | string }[];
    return Number(row?.n ?? 0);
  }
}

/**
 * Records newer (`>`) or older (`<`) than a position. Spelled out rather than as a row-value
 * comparison `(at, id) < (?, ?)`, so that knex builds it, alike for SQLite and PostgreSQL.
 */
function beyond(op: '<' | '>', { at, id }: DataAccessPosition) {
  return (q: Knex.QueryBuilder) =>
    q.where('at', op, at).orWhere((same) => same.where('at', at).andWhere('id', op, id));
}

function stored(row: DataAccessRow): StoredDataAccess {
  return {
    id: Number(row.id),
    at: row.at,
    clientId: row.client_id,
    operation: row.operation,
    resources: JSON.parse(row.resources) as string[],
    outcome: row.outcome,
    status: Number(row.status),
    interactionId: row.interaction_id,
  };
}
