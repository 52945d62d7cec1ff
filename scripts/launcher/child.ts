import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '@bund/service-kit/config';
import type { ListeningMessage } from '@bund/service-kit/server';
import type { ServiceEntry } from './services.js';

/** A service running as a child process of the launcher. */
export interface RunningChild {
  service: ServiceEntry;
  process: ChildProcess;
  /**
   * Where the service listens, once it says so (and its operator URL, if it has one); rejects
   * if it exits before that.
   */
  listening: Promise<{ url: string; operatorUrl?: string }>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Resolves once the service's stdout and stderr have ended and every line is written: its
   * last lines (its shutdown message) may still be in the pipes when it exits.
   */
  drained: Promise<void>;
  /** The last lines the service wrote to stderr, to explain a failed start. */
  lastErrorLines(): string[];
}

const ERROR_LINES_KEPT = 20;

/**
 * Starts a service as `node --import tsx <entry>` with an IPC channel (the service reports its
 * URL through it, and stops when the channel closes) and prefixes every line it writes with
 * its name.
 */
export function startChild(
  service: ServiceEntry,
  width: number,
  env: NodeJS.ProcessEnv,
): RunningChild {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, service.entry)], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const prefix = `${service.name.padEnd(width)} | `;
  const errorLines: string[] = [];
  const out = createInterface({ input: child.stdout! }).on('line', (line) =>
    process.stdout.write(`${prefix}${line}\n`),
  );
  const err = createInterface({ input: child.stderr! }).on('line', (line) => {
    errorLines.push(line);
    if (errorLines.length > ERROR_LINES_KEPT) errorLines.shift();
    process.stderr.write(`${prefix}${line}\n`);
  });
  const drained = Promise.all(
    [out, err].map((lines) => new Promise<void>((resolve) => lines.once('close', resolve))),
  ).then(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const listening = new Promise<{ url: string; operatorUrl?: string }>((resolve, reject) => {
    child.on('message', (message: ListeningMessage) => {
      if (message?.type === 'listening')
        resolve({
          url: message.url,
          ...(message.operatorUrl ? { operatorUrl: message.operatorUrl } : {}),
        });
    });
    child.once('error', reject);
    void exited.then(({ code, signal }) =>
      reject(
        new Error(`exited before listening (${signal ? `signal ${signal}` : `exit code ${code}`})`),
      ),
    );
  });
  // A rejection nobody awaits yet (the service exited later, during shutdown) is not an error.
  listening.catch(() => undefined);
  return {
    service,
    process: child,
    listening,
    exited,
    drained,
    lastErrorLines: () => [...errorLines],
  };
}

/** Polls `url/health/ready` until it answers 200, the child exits, or `timeoutMs` passes. */
export async function waitUntilReady(
  child: RunningChild,
  url: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true));
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited) throw new Error('exited before it was ready');
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `/health/ready answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready after ${timeoutMs} ms (${last})`);
}
