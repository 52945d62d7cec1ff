import assert from 'node:assert/strict';

/** One server-sent event as a client sees it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  retry?: number;
}

/**
 * A server-sent events subscription over fetch, as the gateway will hold one: it parses the
 * stream as it arrives and lets a test wait for the event it expects.
 */
export class SseSubscription {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly #abort = new AbortController();
  #buffer = '';
  #waiters: (() => void)[] = [];
  #ended = false;

  private constructor(readonly response: Response) {}

  /** Connects; resolves once the response headers arrived. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseSubscription> {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    const subscription = new SseSubscription(response);
    subscription.#abort.signal.addEventListener('abort', () => abort.abort());
    if (response.ok && response.body) void subscription.#read(response.body);
    return subscription;
  }

  /** The last event id received (what EventSource sends as Last-Event-ID on reconnect). */
  get lastEventId(): string | undefined {
    return this.events.findLast((e) => e.id !== undefined)?.id;
  }

  /** The data of every `consent` event so far, parsed. */
  consentEvents(): Record<string, unknown>[] {
    return this.events
      .filter((e) => e.event === 'consent')
      .map((e) => JSON.parse(e.data) as Record<string, unknown>);
  }

  /** Waits until an event matching `predicate` arrived (or was already there). */
  async waitFor(
    predicate: (event: SseEvent) => boolean,
    timeoutMs = 2000,
    what = 'event',
  ): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      assert.ok(!this.#ended, `the stream ended before the ${what} arrived`);
      const left = deadline - Date.now();
      assert.ok(left > 0, `no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for a `consent` event about `consentId` with `status`. */
  waitForConsent(consentId: string, status: string, timeoutMs = 2000): Promise<SseEvent> {
    return this.waitFor(
      (e) => {
        if (e.event !== 'consent') return false;
        const data = JSON.parse(e.data) as { consentId: string; status: string };
        return data.consentId === consentId && data.status === status;
      },
      timeoutMs,
      `${status} event for ${consentId}`,
    );
  }

  /** Waits for the next heartbeat comment. */
  async waitForComment(timeoutMs: number): Promise<string> {
    const seen = this.comments.length;
    const deadline = Date.now() + timeoutMs;
    while (this.comments.length === seen) {
      assert.ok(Date.now() < deadline, `no comment within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.comments[seen]!;
  }

  close(): void {
    this.#abort.abort();
  }

  async #read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        this.#buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
          this.#parse(this.#buffer.slice(0, end));
          this.#buffer = this.#buffer.slice(end + 2);
        }
        this.#wake();
      }
    } catch {
      // Aborted by close(), or the server went away.
    } finally {
      this.#ended = true;
      this.#wake();
    }
  }

  #parse(block: string) {
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    let hasField = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      hasField = true;
      if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry') event.retry = Number(value);
    }
    if (!hasField) return;
    event.data = data.join('\n');
    this.events.push(event);
  }

  #wake() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
