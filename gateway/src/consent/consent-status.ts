import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import type { Logger } from '@bund/service-kit';

/** What the gateway needs to know about a consent's state. */
export interface ConsentState {
  status: 'AwaitingAuthorisation' | 'Authorised' | 'Rejected' | 'Revoked' | 'Expired';
  expirationDateTime: string;
  clientId: string;
  customerId: string | null;
  /** Feed position this state reflects: a newer event always wins over an older lookup. */
  sequence: number;
}

/** The consent service could not tell us the status: the call must be refused (fail closed). */
export class ConsentStatusUnknown extends Error {}

export interface ConsentStatusOptions {
  consentServiceUrl: string;
  credential: string;
  logger: Logger;
  /** How long a lookup may take. */
  lookupTimeoutMs?: number;
  /** Most entries kept; beyond, the oldest are dropped (and looked up again when needed). */
  maxEntries?: number;
}

/**
 * The consents' current status, kept by following the consent service's change feed. While
 * the feed is connected, a known consent costs a map lookup and a revocation reaches the cache
 * as soon as it commits. While it is down nothing is trusted from the cache: every call looks
 * the consent up, and a call whose consent cannot be looked up is refused.
 */
export class ConsentStatusCache {
  private readonly states = new Map<string, ConsentState>();
  /** The latest event per consent, also for consents not cached: a lookup racing an event loses to it. */
  private readonly recentEvents = new Map<
    string,
    { status: ConsentState['status']; sequence: number }
  >();
  private lastSequence = 0;
  private connected = false;
  private stopped = false;
  private abort?: AbortController;
  private readonly listeners = new Set<(connected: boolean) => void>();

  constructor(private readonly options: ConsentStatusOptions) {}

  get feedConnected(): boolean {
    return this.connected;
  }

  /** Called whenever the feed connects or drops (metrics, probes). */
  onFeedChange(listener: (connected: boolean) => void): void {
    this.listeners.add(listener);
  }

  private setConnected(connected: boolean) {
    if (this.connected === connected) return;
    this.connected = connected;
    // Anything cached may have changed while we were not listening.
    if (!connected) {
      this.states.clear();
      this.recentEvents.clear();
    }
    for (const listener of this.listeners) listener(connected);
  }

  /** Starts following the feed (reconnecting with back-off until {@link stop}). */
  start(): void {
    void this.follow();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.setConnected(false);
  }

  private async follow(): Promise<void> {
    let delay = 250;
    while (!this.stopped) {
      try {
        await this.stream();
        delay = 250;
      } catch (error) {
        if (this.stopped) return;
        this.options.logger.warn(
          { err: error },
          'consent change feed disconnected; consents are looked up per call',
        );
      }
      this.setConnected(false);
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      delay = Math.min(delay * 2, 5000);
    }
  }

  private async stream(): Promise<void> {
    this.abort = new AbortController();
    const response = await request(`${this.options.consentServiceUrl}/internal/consents/changes`, {
      headers: {
        [INTERNAL_HEADERS.credential]: this.options.credential,
        accept: 'text/event-stream',
        ...(this.lastSequence ? { 'last-event-id': String(this.lastSequence) } : {}),
      },
      signal: this.abort.signal,
      headersTimeout: 5000,
      // Heartbeats arrive every 15 s; silence for longer means the connection is dead.
      bodyTimeout: 45_000,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`change feed answered ${response.statusCode}`);
    }
    const parser = createParser({
      onEvent: (event) => {
        if (event.event === 'ready') {
          this.setConnected(true);
          return;
        }
        if (event.event !== 'consent') return;
        const sequence = Number(event.id);
        const change = JSON.parse(event.data) as {
          consentId: string;
          status: ConsentState['status'];
        };
        if (Number.isSafeInteger(sequence))
          this.lastSequence = Math.max(this.lastSequence, sequence);
        const known = this.states.get(change.consentId);
        if (known && sequence > known.sequence)
          this.states.set(change.consentId, { ...known, status: change.status, sequence });
        if (this.recentEvents.size >= 10_000) this.recentEvents.clear();
        this.recentEvents.set(change.consentId, { status: change.status, sequence });
      },
    });
    // undici's body ignores setEncoding: its chunks are Buffers, decoded here (split UTF-8 safe).
    const decoder = new TextDecoder();
    for await (const chunk of response.body)
      parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
    throw new Error('change feed ended');
  }

  /** The consent's current state; throws {@link ConsentStatusUnknown} when it cannot be known. */
  async get(consentId: string): Promise<ConsentState | undefined> {
    if (this.connected) {
      const known = this.states.get(consentId);
      if (known) return known;
    }
    const looked = await this.lookup(consentId);
    const event = this.recentEvents.get(consentId);
    const state =
      looked && event && event.sequence > looked.sequence ? { ...looked, ...event } : looked;
    if (state && this.connected) {
      const known = this.states.get(consentId);
      if (!known || state.sequence >= known.sequence) this.remember(consentId, state);
    }
    return state;
  }

  private remember(consentId: string, state: ConsentState) {
    if (this.states.size >= (this.options.maxEntries ?? 100_000)) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
    this.states.set(consentId, state);
  }

  private async lookup(consentId: string): Promise<ConsentState | undefined> {
    let response;
    try {
      response = await request(
        `${this.options.consentServiceUrl}/internal/consents/${encodeURIComponent(consentId)}`,
        {
          headers: {
            [INTERNAL_HEADERS.credential]: this.options.credential,
            accept: 'application/json',
          },
          headersTimeout: this.options.lookupTimeoutMs ?? 2000,
          bodyTimeout: this.options.lookupTimeoutMs ?? 2000,
        },
      );
    } catch (error) {
      throw new ConsentStatusUnknown(`consent lookup failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (response.statusCode === 404) {
      await response.body.dump();
      return undefined;
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new ConsentStatusUnknown(`consent lookup answered ${response.statusCode}`);
    }
    const { data } = (await response.body.json()) as { data: ConsentState };
    return {
      status: data.status,
      expirationDateTime: data.expirationDateTime,
      clientId: data.clientId,
      customerId: data.customerId,
      sequence: data.sequence,
    };
  }
}
