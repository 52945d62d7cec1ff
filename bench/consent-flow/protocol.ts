/**
 * The few messages between the benchmark (parent) and a service it runs in a child process.
 * The parent forks the child, waits for `ready`, resets the counters after the warm-up, asks
 * for a `report` after the measured flows, and finally stops it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import type { RouteTimes } from './listen.js';
import type { BenchTpp } from './tpp.js';

/** Calls of each adapter method, keyed `Model.method` (e.g. `Session.upsert`). */
export type CallCounts = Record<string, number>;

/** What a child measured between `reset` and `report`. */
export interface ChildReport {
  /** User + system CPU of the whole child process (all threads, so libuv's pool too). */
  cpuMs: number;
  /** oidc-provider adapter calls; empty for a child without a provider. */
  adapterCalls: CallCounts;
  /** Server time by route (see listen.ts). */
  routes: RouteTimes;
  /** Other counters a child keeps (e.g. calls from the consent service to the bank). */
  extra: Record<string, number>;
}

/** What a child tells the parent once it listens. */
export interface ReadyInfo {
  url: string;
  /** The TPP registered with an authorization server child, private key included. */
  tpp?: BenchTpp;
}

export type ToChild = { type: 'reset' } | { type: 'report' } | { type: 'stop' };
export type FromChild =
  { type: 'ready'; info: ReadyInfo } | { type: 'reset' } | { type: 'report'; report: ChildReport };

/** A started service inside a child: how to describe, measure and stop it. */
export interface ChildService {
  info: ReadyInfo;
  /** Zeroes the service's own counters. */
  reset(): void;
  adapterCalls(): CallCounts;
  routes(): RouteTimes;
  extra(): Record<string, number> | Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * A V8 CPU profile of the measured flows only (not start-up or warm-up), written to
 * `BENCH_PROFILE_DIR` when the benchmark runs with `--profile <dir>`.
 */
function measuredPhaseProfiler(name: string) {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return { start: async () => undefined, stop: async () => undefined };
  const session = new Session();
  session.connect();
  return {
    start: async () => {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    },
  };
}

function send(message: FromChild): void {
  process.send?.(message);
}

/**
 * Runs a service as a benchmark child: starts it, answers the parent's messages, and exits
 * when told to stop (or when the parent goes away).
 */
export async function serveChild(name: string, start: () => Promise<ChildService>): Promise<void> {
  if (!process.send)
    throw new Error('run this file through the benchmark (it needs an IPC channel)');
  const service = await start();
  const profiler = measuredPhaseProfiler(name);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 5000).unref();
    void service.close().finally(() => process.exit(0));
  };
  let cpuAtReset = process.cpuUsage();
  process.on('message', async (message: ToChild) => {
    if (message.type === 'reset') {
      await profiler.start();
      service.reset();
      cpuAtReset = process.cpuUsage();
      send({ type: 'reset' });
    } else if (message.type === 'report') {
      const cpu = process.cpuUsage(cpuAtReset);
      await profiler.stop();
      send({
        type: 'report',
        report: {
          cpuMs: (cpu.user + cpu.system) / 1000,
          adapterCalls: service.adapterCalls(),
          routes: service.routes(),
          extra: await service.extra(),
        },
      });
    } else {
      stop();
    }
  });
  // The parent went away (crashed, or was interrupted): clean up all the same.
  process.on('disconnect', stop);
  send({ type: 'ready', info: service.info });
}
