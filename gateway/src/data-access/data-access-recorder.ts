import { Agent, request } from 'undici';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import type { DataAccessOutcome, Logger } from '@bund/service-kit';

/**
 * One resource call served under a consent, as the consent service stores it
 * (`DataAccessRecord` in specs/internal/consent-service.yaml).
 */
export interface DataAccessRecord {
  /** The gateway's own id: makes redelivery harmless, whatever interaction id the TPP sent. */
  recordId: string;
  interactionId: string;
  consentId: string;
  clientId: string;
  operation: string;
  resources: string[];
  status: number;
  outcome: DataAccessOutcome;
  /** ISO date-time the call arrived. */
  at: string;
}

/** Why records were given up, for `bund_data_access_dropped_total`. */
type DropReason = 'queue_full' | 'rejected' | 'shutdown';

export interface DataAccessRecorderOptions {
  consentServiceUrl: string;
  /** The gateway's internal credential. */
  credential: string;
  logger: Logger;
  registry: Registry;
  /** Most time a record waits before it is sent; default 1 s. */
  flushIntervalMs?: number;
  /** Records that are sent at once, without waiting for the interval; default 100. */
  batchSize?: number;
  /** Most records kept while the consent service cannot take them; default 10,000. */
  maxQueue?: number;
  /** Longest wait between retries; default 30 s. */
  maxBackoffMs?: number;
  /** How long one delivery may take; default 5 s. */
  timeoutMs?: number;
  /** How long {@link DataAccessRecorder.close} keeps trying to deliver; default 5 s. */
  closeTimeoutMs?: number;
}

/** Below the consent service's 256 kB body limit, whatever the records hold. */
const MAX_BATCH_BYTES = 192 * 1024;

/** The consent service refused the batch as such: sending it again cannot succeed. */
class Rejected extends Error {
  constructor(
    readonly status: number,
    /** Index of the record the problem names (`/records/<n>/…`), when it names one. */
    readonly recordIndex: number | undefined,
    detail: string,
  ) {
    super(detail);
  }
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());

/**
 * Delivers data-access records to the consent service off the request path: calls only add
 * to an in-memory queue, which is sent in batches every interval (or as soon as a batch is
 * full). When the consent service cannot take them, the records stay queued and delivery is
 * retried with growing back-off; the queue is bounded, and when it is full the oldest records
 * are dropped and counted. {@link close} delivers what is queued, so a clean restart loses
 * nothing. Records are stored by `recordId`, so a batch sent twice (an answer lost after the
 * consent service stored it) is stored once.
 */
export class DataAccessRecorder {
  private queue: DataAccessRecord[] = [];
  /** The batch being delivered; back at the queue's head if delivery fails. */
  private inFlight: DataAccessRecord[] = [];
  private sending?: Promise<boolean>;
  private timer?: NodeJS.Timeout;
  private due = Infinity;
  /** The timer fired: a batch that is not full may go too (once). */
  private intervalDue = false;
  private failures = 0;
  private closing?: Promise<void>;
  private closed = false;
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 2 });
  private readonly url: string;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxQueue: number;
  readonly delivered: Counter;
  readonly dropped: Counter<'reason'>;

  constructor(private readonly options: DataAccessRecorderOptions) {
    this.url = `${options.consentServiceUrl}/internal/data-access`;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 100;
    this.maxQueue = options.maxQueue ?? 10_000;
    const registers = [options.registry];
    this.delivered = new Counter({
      name: 'bund_data_access_delivered_total',
      help: 'Data-access records delivered to the consent service',
      registers,
    });
    this.dropped = new Counter({
      name: 'bund_data_access_dropped_total',
      help: 'Data-access records given up, by reason (queue_full, rejected, shutdown)',
      labelNames: ['reason'] as const,
      registers,
    });
    // Pre-set, so a dashboard shows zero rather than no series until the first drop.
    for (const reason of ['queue_full', 'rejected', 'shutdown'] as const)
      this.dropped.inc({ reason }, 0);
    const queueLength: Gauge = new Gauge({
      name: 'bund_data_access_queue_length',
      help: 'Data-access records waiting for delivery to the consent service',
      registers,
      collect: () => queueLength.set(this.pending),
    });
  }

  /** Records queued or being delivered. */
  get pending(): number {
    return this.queue.length + this.inFlight.length;
  }

  /** Queues a record; never waits and never throws. */
  record(record: DataAccessRecord): void {
    if (this.closed) {
      this.drop('shutdown', 1);
      this.options.logger.error('data-access record arrived after the recorder closed; lost');
      return;
    }
    this.queue.push(record);
    this.trim();
    // While backing off, the retry timer is already set; a full batch must not cut it short.
    if (this.failures > 0 || this.closing) return;
    if (this.queue.length >= this.batchSize) this.schedule(0, 'full batch');
    else this.schedule(this.flushIntervalMs);
  }

  /** Delivers everything queued, retrying until `closeTimeoutMs`; what is left is counted lost. */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + (this.options.closeTimeoutMs ?? 5000);
    await this.sending;
    let attempt = 0;
    while (this.queue.length > 0 && Date.now() < deadline) {
      if (await this.flush(deadline)) continue;
      attempt += 1;
      await sleep(Math.min(250 * 2 ** attempt, deadline - Date.now()));
    }
    if (this.queue.length > 0) {
      this.options.logger.error(
        { records: this.queue.length },
        'data-access records could not be delivered before shutdown; lost',
      );
      this.drop('shutdown', this.queue.length);
      this.queue = [];
    }
    this.closed = true;
    await this.agent.close();
  }

  private drop(reason: DropReason, count: number) {
    this.dropped.inc({ reason }, count);
  }

  /** Keeps the queue (with the batch in flight) within its bound by dropping the oldest. */
  private trim() {
    const excess = Math.min(this.pending - this.maxQueue, this.queue.length);
    if (excess <= 0) return;
    this.queue.splice(0, excess);
    this.drop('queue_full', excess);
  }

  /**
   * Sets the timer to fire in `delayMs`, unless it is already due sooner. A timer for a full
   * batch sends full batches only: the records behind it wait for their interval.
   */
  private schedule(delayMs: number, reason: 'interval' | 'full batch' = 'interval') {
    const due = Date.now() + delayMs;
    if (this.timer && this.due <= due) return;
    clearTimeout(this.timer);
    this.due = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.due = Infinity;
      if (reason === 'interval' && this.queue.length > 0) this.intervalDue = true;
      void this.flush();
    }, delayMs);
    // Delivery alone must not keep the process alive; close() is what waits for it.
    this.timer.unref();
  }

  private backOff() {
    const base = Math.min(
      this.flushIntervalMs * 2 ** (this.failures - 1),
      this.options.maxBackoffMs ?? 30_000,
    );
    // Jitter, so replicas that failed together do not retry together.
    this.schedule(base * (0.8 + Math.random() * 0.4));
  }

  /**
   * Delivers full batches, then what is left if the interval is due or the recorder is closing
   * (a `deadline`); false if a delivery failed (and was kept).
   */
  private flush(deadline?: number): Promise<boolean> {
    this.sending ??= this.drain(deadline).finally(() => (this.sending = undefined));
    return this.sending;
  }

  /**
   * Records that arrive while a batch is in flight wait for a full batch or their interval:
   * under steady traffic, sending them as soon as the last delivery returned would mean one
   * small delivery (and one write in the consent service) every round trip.
   */
  private ready(closing: boolean): boolean {
    if (this.queue.length >= this.batchSize) return true;
    return this.queue.length > 0 && (closing || this.intervalDue);
  }

  private async drain(deadline?: number): Promise<boolean> {
    while (this.ready(deadline !== undefined)) {
      this.inFlight = this.takeBatch();
      // What was due has all been taken (a batch can stop short at the byte limit): records
      // that arrive from now on wait for a full batch or their own timer (set by record()).
      if (this.queue.length === 0) this.intervalDue = false;
      try {
        const timeoutMs = Math.min(
          this.options.timeoutMs ?? 5000,
          deadline === undefined ? Infinity : Math.max(deadline - Date.now(), 100),
        );
        await this.post(this.inFlight, timeoutMs);
        this.delivered.inc(this.inFlight.length);
        this.inFlight = [];
        this.failures = 0;
      } catch (error) {
        const batch = this.inFlight;
        this.inFlight = [];
        if (error instanceof Rejected) {
          // The consent service answered: whatever failed before is over, and record() must
          // set timers again (it does not while failures are counted).
          this.failures = 0;
          // What was taken with the refused record was due: it goes now, not an interval later.
          if (this.reject(batch, error) > 0) this.intervalDue = true;
          continue;
        }
        this.failures += 1;
        this.options.logger.warn(
          { err: error, records: batch.length + this.queue.length, failures: this.failures },
          'data-access records not delivered; keeping them to retry',
        );
        // Back at the head, oldest first; the bound still holds.
        this.queue = [...batch, ...this.queue];
        this.trim();
        if (!this.closing) this.backOff();
        return false;
      }
    }
    this.intervalDue = false;
    // Records left behind a full batch may have no timer of their own: they get one now, so
    // they wait about an interval (counted from here, not from their arrival).
    if (this.queue.length > 0 && !this.closing) this.schedule(this.flushIntervalMs);
    return true;
  }

  /**
   * A batch the consent service refused as invalid is a bug here; retrying it would block every
   * record behind it. When the problem names one record, only that one is dropped. Returns how
   * many records went back to the queue.
   */
  private reject(batch: DataAccessRecord[], error: Rejected): number {
    const index = error.recordIndex;
    const culprit = index !== undefined && index < batch.length ? index : undefined;
    this.options.logger.error(
      {
        status: error.status,
        detail: error.message,
        dropped: culprit === undefined ? batch.length : 1,
        operation: culprit === undefined ? undefined : batch[culprit]!.operation,
      },
      'consent service refused data-access records; dropping them',
    );
    if (culprit === undefined) {
      this.drop('rejected', batch.length);
      return 0;
    }
    this.drop('rejected', 1);
    this.queue = [...batch.slice(0, culprit), ...batch.slice(culprit + 1), ...this.queue];
    return batch.length - 1;
  }

  /** The oldest records, up to the batch size and the byte limit (at least one). */
  private takeBatch(): DataAccessRecord[] {
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && count < this.batchSize) {
      bytes += Buffer.byteLength(JSON.stringify(this.queue[count])) + 1;
      if (count > 0 && bytes > MAX_BATCH_BYTES) break;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async post(records: DataAccessRecord[], timeoutMs: number): Promise<void> {
    const response = await request(this.url, {
      method: 'POST',
      dispatcher: this.agent,
      headers: {
        'content-type': 'application/json',
        [INTERNAL_HEADERS.credential]: this.options.credential,
      },
      body: JSON.stringify({ records }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    if (response.statusCode >= 200 && response.statusCode < 300) return;
    if ([400, 413, 415].includes(response.statusCode)) {
      let problem: { detail?: string; errors?: { parameter?: string }[] } = {};
      try {
        problem = JSON.parse(text) as typeof problem;
      } catch {
        // Not a problem document: the batch is still refused as a whole.
      }
      const named = /^\/records\/(\d+)(\/|$)/.exec(problem.errors?.[0]?.parameter ?? '');
      throw new Rejected(
        response.statusCode,
        named ? Number(named[1]) : undefined,
        problem.detail ?? `answered ${response.statusCode}`,
      );
    }
    throw new Error(`consent service answered ${response.statusCode}`);
  }
}
