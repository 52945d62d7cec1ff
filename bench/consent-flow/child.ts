import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildReport, FromChild, ReadyInfo, ToChild } from './protocol.js';

type Reply<T extends FromChild['type']> = Extract<FromChild, { type: T }>;

/**
 * A service in a fresh child process (one of this folder's `*-server.ts` files), driven through
 * the messages of protocol.ts. Its output is kept, and shown only if it fails.
 */
export class Child {
  private output = '';
  private pending?: {
    type: FromChild['type'];
    resolve: (m: FromChild) => void;
    reject: (e: Error) => void;
  };

  private constructor(
    private readonly name: string,
    private readonly proc: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8000));
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    proc.on('message', (message: FromChild) => {
      if (this.pending?.type === message.type) this.pending.resolve(message);
    });
    proc.on('exit', (code) => this.pending?.reject(this.failure(`exited with ${code}`)));
  }

  /** Forks `name` (a file next to this one) and waits until it listens. */
  static async start(
    name: string,
    env: Record<string, string>,
  ): Promise<{ child: Child; info: ReadyInfo }> {
    const file = fileURLToPath(new URL(`./${name}`, import.meta.url));
    const proc = fork(file, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const child = new Child(name, proc);
    try {
      const ready = (await child.exchange('ready', 120_000)) as Reply<'ready'>;
      return { child, info: ready.info };
    } catch (error) {
      await child.stop();
      throw error;
    }
  }

  /** Zeroes the child's counters and CPU clock: what follows is measured. */
  async reset(): Promise<void> {
    await this.exchange('reset', 10_000, { type: 'reset' });
  }

  /** What the child measured since `reset`. */
  async report(): Promise<ChildReport> {
    return ((await this.exchange('report', 30_000, { type: 'report' })) as Reply<'report'>).report;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.pending = undefined;
    if (this.proc.connected) this.proc.send({ type: 'stop' } satisfies ToChild);
    const timer = setTimeout(() => this.proc.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }

  private failure(what: string): Error {
    return new Error(`${this.name} ${what}; its output:\n${this.output}`);
  }

  /** Sends `message` (if any) and waits for the reply of `type`. */
  private exchange(
    type: FromChild['type'],
    timeoutMs: number,
    message?: ToChild,
  ): Promise<FromChild> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(this.failure(`did not answer ${type} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.pending = {
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      if (message) this.proc.send(message);
    });
  }
}
