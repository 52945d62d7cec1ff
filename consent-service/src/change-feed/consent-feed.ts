import type { Request, RequestHandler } from 'express';
import { ApiError } from '@bund/service-kit';
import type { Logger } from '@bund/service-kit';
import type { ConsentEvent } from '../consents/consent.js';
import type { ConsentStore } from '../consents/consent-store.js';
import type { ChangeSignal } from './change-signal.js';

export interface ConsentFeedOptions {
  store: ConsentStore;
  signal: ChangeSignal;
  logger: Logger;
  /** Interval of the heartbeat comment, which also re-reads the events table; default 15 s. */
  heartbeatMs?: number;
  /** Events read per query. */
  batchSize?: number;
}

/** What a gateway learns from one event (`x-event-data` of streamConsentChanges in the internal spec). */
export function changeOf(event: ConsentEvent) {
  return {
    consentId: event.consentId,
    clientId: event.clientId,
    status: event.toStatus,
    reason: event.reason,
    actor: event.actor,
    at: event.at,
    type: event.type,
  };
}

const SEQUENCE = /^(0|[1-9]\d{0,14})$/;

/** Where a subscriber resumes: `Last-Event-ID` (what EventSource sends on reconnect), else `?after=`. */
function resumeFrom(req: Request): number | undefined {
  const unknown = Object.keys(req.query).filter((name) => name !== 'after');
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      'unknown_parameter',
      `Unknown query parameter "${unknown[0]}". Known: after.`,
      [{ parameter: unknown[0]!, detail: 'unknown parameter' }],
    );
  }
  const header = req.get('last-event-id');
  if (header !== undefined && header !== '') {
    if (!SEQUENCE.test(header))
      throw ApiError.invalidParameter('Last-Event-ID', 'must be an event id (a sequence number)');
    return Number(header);
  }
  const after = req.query.after;
  if (after === undefined) return undefined;
  if (typeof after !== 'string' || !SEQUENCE.test(after)) {
    throw ApiError.invalidParameter('after', 'must be an event id (a sequence number), given once');
  }
  return Number(after);
}

/**
 * The consent change feed as server-sent events. A subscriber first gets a `ready` event whose
 * id is where it starts, then every event after that position from `consent_events`, then each
 * new one as it commits. It is woken by the change signal and reads by sequence, so a missed
 * wake-up delays an event (until the next wake-up or heartbeat) but never loses it; the
 * `id` of every event lets it resume with `Last-Event-ID` after a disconnect, on any replica.
 */
export class ConsentFeed {
  readonly #open = new Set<() => void>();

  constructor(private readonly options: ConsentFeedOptions) {}

  /** Subscribers connected to this process. */
  get subscribers(): number {
    return this.#open.size;
  }

  /** Ends every stream (on shutdown; subscribers resume on another replica). */
  close(): void {
    for (const end of [...this.#open]) end();
  }

  readonly handler: RequestHandler = async (req, res) => {
    const { store, signal, logger } = this.options;
    const heartbeatMs = this.options.heartbeatMs ?? 15_000;
    const batchSize = this.options.batchSize ?? 500;
    const requested = resumeFrom(req);
    const latest = await store.latestSequence();
    // A position beyond the end means the events table was reset: the subscriber must start over.
    const reset = requested !== undefined && requested > latest;
    let last = requested === undefined || reset ? latest : requested;

    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    // `retry`: EventSource clients reconnect after 1 s, inside the gateway's one-second promise.
    res.write(
      `retry: 1000\nid: ${last}\nevent: ready\ndata: ${JSON.stringify({ after: last, reset })}\n\n`,
    );

    let closed = false;
    let reading = false;
    let again = false;
    const write = async (chunk: string) => {
      if (res.write(chunk) || closed) return;
      await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    };
    const pump = async () => {
      if (closed) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          let batch: ConsentEvent[];
          do {
            batch = await store.eventsAfter(last, batchSize);
            for (const event of batch) {
              if (closed) return;
              await write(
                `id: ${event.sequence}\nevent: consent\ndata: ${JSON.stringify(changeOf(event))}\n\n`,
              );
              last = event.sequence;
            }
          } while (batch.length === batchSize);
        } while (again && !closed);
      } catch (err) {
        // The subscriber reconnects with its Last-Event-ID and misses nothing.
        logger.error({ err }, 'consent change feed could not read events; closing the stream');
        end();
      } finally {
        reading = false;
      }
    };
    const unsubscribe = signal.subscribe(() => void pump());
    const heartbeat = setInterval(() => {
      void write(': heartbeat\n\n');
      void pump();
    }, heartbeatMs);
    const end = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      this.#open.delete(end);
      res.end();
    };
    this.#open.add(end);
    res.on('close', end);
    await pump();
  };
}
