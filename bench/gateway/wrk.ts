import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./load.lua', import.meta.url));

/** What one wrk run measured (load.lua's `done`). Latencies in microseconds. */
export interface WrkResult {
  requests: number;
  durationUs: number;
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  /** Answers that were not 2xx or 3xx. */
  statusErrors: number;
  timeouts: number;
  meanUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

export interface WrkRun {
  url: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
  threads: number;
  /** Requests per second of an open loop; undefined for a closed loop. */
  rate?: number;
  /** A fresh DPoP proof per request, from these lines of this file. */
  proofs?: { file: string; first: number; count: number };
}

/** Every failure wrk counts, summed: a run with any is reported, not silently averaged in. */
export const failures = (r: WrkResult) =>
  r.connectErrors + r.readErrors + r.writeErrors + r.statusErrors + r.timeouts;

/** Runs Debian's `wrk` with load.lua and returns what it measured. */
export function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = [
    `--threads=${run.threads}`,
    `--connections=${Math.max(run.connections, run.threads)}`,
    `--duration=${run.seconds}s`,
    '--timeout=5s',
    '--script',
    SCRIPT,
    ...Object.entries(run.headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
    run.url,
    '--',
    run.proofs ? 'proofs' : 'static',
    String(run.rate ?? 0),
    String(run.threads),
    ...(run.proofs ? [run.proofs.file, String(run.proofs.first), String(run.proofs.count)] : []),
  ];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('wrk-result '));
      if (error || !line) {
        reject(new Error(`wrk failed: ${error?.message ?? 'no result line'}\n${stdout}${stderr}`));
        return;
      }
      resolve(JSON.parse(line.slice('wrk-result '.length)) as WrkResult);
    });
  });
}
