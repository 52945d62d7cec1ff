import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root: services are started from here, as `npm start` does. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux unless rebuilt). */
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * User + system CPU of a process (all its threads) so far, in microseconds, from
 * /proc/<pid>/stat: utime and stime, the 14th and 15th fields, in clock ticks.
 */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / clockTicks;
}

/**
 * Time the process's threads have run on a CPU, in microseconds, summed over
 * /proc/<pid>/task/<tid>/schedstat: the scheduler's own clock (nanoseconds), not ticks.
 * Threads that already exited are missing, so it is a cross-check, not the measure.
 */
export function runtimeMicros(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1000;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One process of a contender (a Bund service, the bare proxy, nginx), started directly (so its
 * pid is the process that does the work, whose CPU is read from /proc). Its output is kept,
 * the last few kB, and shown only when it fails.
 */
export class Proc {
  private output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-6000));
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts `command args` with `env` added to this process's environment. Standard output is
   * dropped: the services write one access-log line per request there, and a pipe read by
   * this process would cost it CPU during the measurement.
   */
  static start(name: string, command: string, args: string[], env: Record<string, string>): Proc {
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return new Proc(name, child);
  }

  /** `node --import tsx <entry>` (relative to the repository root), with extra node flags. */
  static node(
    name: string,
    entry: string,
    env: Record<string, string>,
    nodeFlags: string[] = [],
  ): Proc {
    return Proc.start(name, process.execPath, [...nodeFlags, '--import', 'tsx', entry], env);
  }

  get pid(): number {
    return this.child.pid!;
  }

  cpuMicros(): number {
    return cpuMicros(this.pid);
  }

  /** Polls `url` until it answers 200; fails when the process exits first or time runs out. */
  async waitFor(url: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw this.failure(`exited (${this.child.exitCode ?? this.child.signalCode}) before ready`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        if (response.ok) return;
        last = `answered ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(100);
    }
    throw this.failure(`not ready at ${url} after ${timeoutMs} ms (${last})`);
  }

  /** SIGTERM (a graceful stop), then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  failure(what: string): Error {
    return new Error(`${this.name} ${what}; its last output:\n${this.output}`);
  }
}

/** Stops processes in order (dependants first), whatever fails. */
export async function stopAll(procs: readonly (Proc | undefined)[]): Promise<void> {
  for (const proc of procs) await proc?.stop().catch(() => undefined);
}
