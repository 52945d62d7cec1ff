import { EventEmitter } from 'node:events';

/**
 * The change feed's wake-up call: "a consent change has committed, read what is new". It
 * carries no data, so a lost or doubled signal costs a delay or a query, never an event:
 * readers always read the events after the last sequence they sent.
 */
export interface ChangeSignal {
  /** Announces a committed change to every reader, in this process and (where it can) others. Never throws. */
  notify(): Promise<void>;
  /** Calls `listener` on every announcement; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  /** Stops listening and releases connections. */
  close(): Promise<void>;
}

/**
 * The signal inside one process (an EventEmitter): all a single SQLite replica needs, and the
 * local half of the PostgreSQL signal.
 */
export class InProcessChangeSignal implements ChangeSignal {
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  /** Wakes this process's readers (synchronously; listeners must not throw). */
  announce(): void {
    this.#emitter.emit('change');
  }

  async notify(): Promise<void> {
    this.announce();
  }

  subscribe(listener: () => void): () => void {
    this.#emitter.on('change', listener);
    return () => this.#emitter.off('change', listener);
  }

  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
  }
}
