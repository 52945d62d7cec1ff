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
  at: string;
  clientId: string;
  operation: string;
  resources: string[];
  outcome: DataAccessOutcome;
  status: number;
  interactionId: string;
}

/** Rows per insert statement: well under every database's limit on bound parameters. */
const ROWS_PER_INSERT = 100;

/**
 * What TPPs read under each consent, as the gateway reports it. Records are kept by the
 * gateway's record id, so a batch delivered twice (a retry after a lost answer) is stored once.
 */
export class DataAccessStore {
  constructor(private readonly db: Knex) {}

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
  async latest(consentId: string, limit: number): Promise<StoredDataAccess[]> {
    const rows = await this.db<DataAccessRow>('data_access')
      .where({ consent_id: consentId })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map((row) => ({
      at: row.at,
      clientId: row.client_id,
      operation: row.operation,
      resources: JSON.parse(row.resources) as string[],
      outcome: row.outcome,
      status: Number(row.status),
      interactionId: row.interaction_id,
    }));
  }
}
