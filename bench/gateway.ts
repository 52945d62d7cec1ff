/**
 * The gateway's throughput, CPU and added latency, side by side with what it is weighed
 * against: the backend called directly, a bare node:http + undici pass-through proxy, and
 * nginx as a reverse proxy (the reference). The gateway runs with every check on: a valid
 * DPoP-bound token got through the real customer journey, a fresh DPoP proof per request, the
 * consent warm in its cache, request and response validation, rate limit (set high), access
 * log and data-access records. It is also run with a 5- and a 200-operation spec.
 *
 * Load comes from Debian's `wrk` (a Node load generator would take the CPU it measures on 2
 * cores). Every contender starts in fresh processes on a fresh copy of one seeded backend, in
 * interleaved rounds (the order reverses every other round and rotates); medians are
 * reported. After its saturation run, the gateway gets an open-loop run at half its own
 * saturation rate, and its backend the same run directly: the difference is the latency the
 * gateway adds.
 *
 *   node --import tsx bench/gateway.ts [--rounds 5] [--duration 8] [--warmup 2]
 *        [--open-duration 5] [--connections 16] [--open-connections 64] [--threads 1]
 *        [--base-port 61100] [--only gateway,bare] [--profile <dir>] [--skip-readme]
 *        [--gateway-env NAME=value …]   (e.g. LOG_LEVEL=warn: what a setting costs)
 *
 * Prints a table, writes bench/results/gateway.json and the "Benchmark" section of the root
 * README.md. Exits 0 when a target is missed: a benchmark reports, it does not gate.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import { writeProofs } from './gateway/dpop-proofs.js';
import { grantBalances } from './gateway/journey.js';
import type { Grant } from './gateway/journey.js';
import { startNginx } from './gateway/nginx.js';
import { Proc, repoRoot, runtimeMicros, stopAll } from './gateway/processes.js';
import { routedOperations, writeSpecVariant } from './gateway/spec-variants.js';
import { ensureTools } from './gateway/tools.js';
import { failures, runWrk } from './gateway/wrk.js';
import type { WrkResult, WrkRun } from './gateway/wrk.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    'open-duration': { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    'open-connections': { type: 'string', default: '64' },
    threads: { type: 'string', default: '1' },
    // Above Linux's ephemeral range (32768–60999): an outgoing connection of wrk or a proxy
    // could otherwise hold a port a contender is about to listen on (EADDRINUSE).
    'base-port': { type: 'string', default: '61100' },
    only: { type: 'string' },
    profile: { type: 'string' },
    'gateway-env': { type: 'string', multiple: true },
    'skip-readme': { type: 'boolean', default: false },
  },
});
const settings = {
  rounds: Number(args.rounds),
  duration: Number(args.duration),
  warmup: Number(args.warmup),
  openDuration: Number(args['open-duration']),
  connections: Number(args.connections),
  openConnections: Number(args['open-connections']),
  threads: Number(args.threads),
  basePort: Number(args['base-port']),
};
for (const [name, value] of Object.entries(settings)) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
}

/** `--gateway-env NAME=value`: settings of the gateway to try (they are printed and recorded). */
const gatewayEnv = Object.fromEntries(
  (args['gateway-env'] ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--gateway-env takes NAME=value, not ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

/** The issue's targets, on 2 cores. */
const TARGETS = {
  minRpsVsBare: 0.25,
  maxCpuMicrosPerRequest: 400,
  maxAddedP50Ms: 1,
  maxAddedP99Ms: 5,
  minRps200VsRps5: 0.9,
};

const CONTENDERS = ['backend', 'bare', 'nginx', 'gateway', 'gateway-5', 'gateway-200'] as const;
type Contender = (typeof CONTENDERS)[number];
const LABEL: Record<Contender, string> = {
  backend: 'backend directly (mock-bank)',
  bare: 'bare node:http + undici proxy',
  nginx: 'nginx reverse proxy',
  gateway: `gateway, every check (specs/: ${routedOperations()} operations)`,
  'gateway-5': 'gateway, 5-operation spec',
  'gateway-200': 'gateway, 200-operation spec',
};

const print = (line = '') => process.stdout.write(`${line}\n`);
const round1 = (n: number) => Math.round(n * 10) / 10;
const median = (values: number[]) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
};

/**
 * One operation for every contender: a small answer, behind every check of the gateway. One row
 * at the bank (not the balances, which sum ~750 transactions and made every contender wait on
 * the bank), so the proxies' own costs show.
 */
const ACCOUNT = 'acc-0001-01';
const OPERATION = `/accounts/${ACCOUNT}`;
const PORTS = {
  bank: settings.basePort + 1,
  proxy: settings.basePort + 2,
  consent: settings.basePort + 3,
  gateway: settings.basePort + 4,
  gatewayOps: settings.basePort + 5,
  /** Nothing listens here: the gateway's data-exchange backend, unused by the operation. */
  closed: settings.basePort + 9,
};
const URLS = {
  bank: `http://127.0.0.1:${PORTS.bank}`,
  proxy: `http://127.0.0.1:${PORTS.proxy}`,
  consent: `http://localhost:${PORTS.consent}`,
  /** The gateway's public URL: the tokens' audience and the base of the proofs' `htu`. */
  gateway: `http://localhost:${PORTS.gateway}`,
  gatewayLoad: `http://127.0.0.1:${PORTS.gateway}`,
};
const credentials = {
  gateway: randomBytes(16).toString('hex'),
  consentService: randomBytes(16).toString('hex'),
};
/** What the gateway sends the bank for this call: what the direct and proxied calls send. */
const BACKEND_HEADERS = {
  accept: 'application/json',
  [INTERNAL_HEADERS.credential]: credentials.gateway,
  [INTERNAL_HEADERS.customerId]: 'cus-0001',
  [INTERNAL_HEADERS.consentedAccounts]: ACCOUNT,
  'x-fapi-interaction-id': '0b5e5c1e-7a43-4c1f-9d3e-2f1f6b0c9a11',
};
/** Every Bund service as it runs by default (info logs, SQLite), on this run's ports. */
const SERVICE_ENV = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  DATABASE_URL: '',
  SPECS_DIR: '',
  SHUTDOWN_TIMEOUT_MS: '2000',
  GATEWAY_INTERNAL_CREDENTIAL: credentials.gateway,
  CONSENT_SERVICE_INTERNAL_CREDENTIAL: credentials.consentService,
  MOCK_BANK_PORT: String(PORTS.bank),
  MOCK_BANK_URL: URLS.bank,
  CONSENT_SERVICE_PORT: String(PORTS.consent),
  ISSUER: URLS.consent,
  CONSENT_SERVICE_URL: URLS.consent,
  GATEWAY_PORT: String(PORTS.gateway),
  GATEWAY_OPS_PORT: String(PORTS.gatewayOps),
  GATEWAY_URL: URLS.gateway,
  DATA_EXCHANGE_URL: `http://127.0.0.1:${PORTS.closed}`,
  ACCESS_TOKEN_TTL_SECONDS: '600',
  // The rate limit stays in the chain (one bucket take per call) but never refuses.
  RATE_LIMIT_PER_SECOND: '1000000',
  RATE_LIMIT_BURST: '1000000',
};

const work = mkdtempSync(path.join(os.tmpdir(), 'bund-bench-gateway-'));
const running = new Set<Proc>();
function track(proc: Proc): Proc {
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  return proc;
}
let cleaned = false;
async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  await stopAll([...running]);
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));
}

let dirs = 0;
const freshDir = (name: string) => {
  const dir = path.join(work, `${String(++dirs).padStart(3, '0')}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const startBank = (dataDir: string) =>
  track(Proc.node('mock-bank', 'mock-bank/src/index.ts', { ...SERVICE_ENV, DATA_DIR: dataDir }));
const startConsentService = (dataDir: string) =>
  track(
    Proc.node('consent-service', 'consent-service/src/index.ts', {
      ...SERVICE_ENV,
      DATA_DIR: dataDir,
    }),
  );

/**
 * Seeds the bank and lets the consent service migrate and make its keys once; every contender
 * then starts on a copy of this folder, so all are served the same data.
 */
async function prepareTemplate(): Promise<string> {
  const dir = freshDir('template');
  const bank = startBank(dir);
  const consent = startConsentService(dir);
  try {
    await Promise.all([
      bank.waitFor(`${URLS.bank}/health/ready`, 120_000),
      consent.waitFor(`${URLS.consent}/health/ready`, 120_000),
    ]);
  } finally {
    await stopAll([consent, bank]);
  }
  return dir;
}

/** What one contender measured in one round. */
interface RunResult {
  contender: Contender;
  round: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers: any makes the run suspect. */
  failures: number;
  /** CPU of the process that proxies (for the backend called directly, the backend). */
  cpuMicrosPerRequest: number;
  /** The same from the scheduler's clock (/proc/<pid>/task/<tid>/schedstat), a cross-check. */
  runtimeMicrosPerRequest: number;
  backendCpuMicrosPerRequest: number;
  /** The consent service's CPU (data-access records) per gateway call. */
  consentServiceCpuMicrosPerRequest?: number;
  /** Gateway only: both open-loop runs at half this run's rate. */
  openLoop?: OpenLoop;
}

interface OpenLoop {
  rate: number;
  gateway: { p50Ms: number; p99Ms: number; requests: number; failures: number };
  backend: { p50Ms: number; p99Ms: number; requests: number; failures: number };
}

const latencies = (r: WrkResult) => ({
  p50Ms: r.p50Us / 1000,
  p99Ms: r.p99Us / 1000,
  requests: r.requests,
  failures: failures(r),
});

/** Runs wrk while reading the CPU each process used. */
async function measure(run: WrkRun, procs: Record<string, Proc | undefined>) {
  const cpu = (p: Proc | undefined) => p?.cpuMicros() ?? 0;
  const runtime = (p: Proc | undefined) => (p ? runtimeMicros(p.pid) : 0);
  const entries = Object.entries(procs);
  const before = entries.map(([, p]) => [cpu(p), runtime(p)] as const);
  const result = await runWrk(run);
  const perRequest = Object.fromEntries(
    entries.map(([k, p], i) => [k, (cpu(p) - before[i]![0]) / result.requests]),
  );
  const runtimePerRequest = Object.fromEntries(
    entries.map(([k, p], i) => [k, (runtime(p) - before[i]![1]) / result.requests]),
  );
  return { result, perRequest, runtimePerRequest };
}

const closedLoop = (url: string, headers: Record<string, string>, seconds: number): WrkRun => ({
  url,
  headers,
  seconds,
  connections: settings.connections,
  threads: settings.threads,
});

/** The backend, the bare proxy or nginx: warm-up, then the measured closed-loop run. */
async function runPassThrough(
  contender: 'backend' | 'bare' | 'nginx',
  round: number,
  nginx: string | undefined,
): Promise<RunResult> {
  const dir = freshDir(`${contender}-r${round}`);
  cpSync(template, dir, { recursive: true });
  const bank = startBank(dir);
  let proxy: Proc | undefined;
  try {
    await bank.waitFor(`${URLS.bank}/health/ready`);
    if (contender === 'bare') {
      proxy = track(
        Proc.node('bare proxy', 'bench/gateway/bare-proxy.ts', {
          BACKEND_URL: URLS.bank,
          PORT: String(PORTS.proxy),
        }),
      );
    } else if (contender === 'nginx') {
      proxy = track(startNginx(nginx!, path.join(dir, 'nginx'), PORTS.proxy, PORTS.bank));
    }
    const url = `${proxy ? URLS.proxy : URLS.bank}${OPERATION}`;
    if (proxy) await proxy.waitFor(`${URLS.proxy}/health/live`);
    await runWrk(closedLoop(url, BACKEND_HEADERS, settings.warmup));
    const { result, perRequest, runtimePerRequest } = await measure(
      closedLoop(url, BACKEND_HEADERS, settings.duration),
      { proxy: proxy ?? bank, bank },
    );
    return {
      contender,
      round,
      rps: (result.requests * 1e6) / result.durationUs,
      ...latencies(result),
      cpuMicrosPerRequest: perRequest.proxy!,
      runtimeMicrosPerRequest: runtimePerRequest.proxy!,
      backendCpuMicrosPerRequest: perRequest.bank!,
    };
  } finally {
    await stopAll([proxy, bank]);
  }
}

/** Highest gateway rate seen so far: sizes the next run's supply of proofs. */
let gatewayRpsSeen = 0;
const proofsFor = (seconds: number, rate?: number) =>
  Math.ceil((rate ?? (gatewayRpsSeen > 0 ? gatewayRpsSeen * 1.4 : 4000)) * seconds) + 1000;

/**
 * The gateway with its consent service and bank, each a fresh process: a token through the
 * customer journey, a supply of proofs, warm-up, the measured run; for the main contender then
 * the open-loop runs (gateway, and backend directly, in alternating order).
 */
async function runGateway(
  contender: 'gateway' | 'gateway-5' | 'gateway-200',
  round: number,
): Promise<RunResult> {
  const dir = freshDir(`${contender}-r${round}`);
  cpSync(template, dir, { recursive: true });
  const bank = startBank(dir);
  const consent = startConsentService(dir);
  let gateway: Proc | undefined;
  try {
    await Promise.all([
      bank.waitFor(`${URLS.bank}/health/ready`),
      consent.waitFor(`${URLS.consent}/health/ready`),
    ]);
    const profile = args.profile
      ? // One folder per run: tsx's loader thread writes a profile of its own beside the main one.
        ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args.profile, `${contender}-r${round + 1}`)}`]
      : [];
    gateway = track(
      Proc.node(
        'gateway',
        'gateway/src/index.ts',
        {
          ...SERVICE_ENV,
          DATA_DIR: dir,
          SPECS_DIR: specVariants[contender] ?? '',
          ...gatewayEnv,
        },
        profile,
      ),
    );
    const [grant] = await Promise.all([
      grantBalances(URLS.consent, dir, ACCOUNT),
      gateway.waitFor(`${URLS.gatewayLoad}/health/live`),
    ]);
    const proofs = path.join(dir, 'proofs.txt');
    const warmupCount = proofsFor(settings.warmup);
    const runCount = proofsFor(settings.duration);
    await writeProofs(proofs, {
      privateJwk: grant.dpopPrivateJwk,
      htu: `${URLS.gateway}${OPERATION}`,
      accessToken: grant.accessToken,
      count: 1 + warmupCount + runCount,
    });
    await checkOneCall(grant, proofs);
    const headers = { accept: 'application/json', authorization: `DPoP ${grant.accessToken}` };
    const url = `${URLS.gatewayLoad}${OPERATION}`;
    await runWrk({
      ...closedLoop(url, headers, settings.warmup),
      proofs: { file: proofs, first: 1, count: warmupCount },
    });
    const { result, perRequest, runtimePerRequest } = await measure(
      {
        ...closedLoop(url, headers, settings.duration),
        proofs: { file: proofs, first: 1 + warmupCount, count: runCount },
      },
      { gateway, bank, consent },
    );
    const rps = (result.requests * 1e6) / result.durationUs;
    gatewayRpsSeen = Math.max(gatewayRpsSeen, rps);
    return {
      contender,
      round,
      rps,
      ...latencies(result),
      cpuMicrosPerRequest: perRequest.gateway!,
      runtimeMicrosPerRequest: runtimePerRequest.gateway!,
      backendCpuMicrosPerRequest: perRequest.bank!,
      consentServiceCpuMicrosPerRequest: perRequest.consent!,
      ...(contender === 'gateway'
        ? { openLoop: await openLoop(round, Math.round(rps / 2), grant, dir, headers) }
        : {}),
    };
  } finally {
    await stopAll([gateway, consent, bank]);
  }
}

/** One call with its own proof before any load: a refused call stops the benchmark plainly. */
async function checkOneCall(grant: Grant, proofs: string): Promise<void> {
  const proof = readFileSync(proofs, 'utf8').slice(0, 4096).split('\n')[0]!;
  const response = await fetch(`${URLS.gatewayLoad}${OPERATION}`, {
    headers: { authorization: `DPoP ${grant.accessToken}`, dpop: proof },
  });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`the gateway refused the benchmark's call: ${response.status} ${body}`);
}

/**
 * Both open-loop runs at `rate`: the gateway's (fresh proofs) and the backend's, called
 * directly on the same process; which goes first alternates by round.
 */
async function openLoop(
  round: number,
  rate: number,
  grant: Grant,
  dir: string,
  gatewayHeaders: Record<string, string>,
): Promise<OpenLoop> {
  const proofs = path.join(dir, 'open-loop-proofs.txt');
  const count = proofsFor(settings.openDuration, rate * 1.05);
  await writeProofs(proofs, {
    privateJwk: grant.dpopPrivateJwk,
    htu: `${URLS.gateway}${OPERATION}`,
    accessToken: grant.accessToken,
    count,
  });
  const run = (url: string, headers: Record<string, string>): WrkRun => ({
    url,
    headers,
    seconds: settings.openDuration,
    connections: settings.openConnections,
    threads: settings.threads,
    rate,
  });
  const viaGateway = () =>
    runWrk({
      ...run(`${URLS.gatewayLoad}${OPERATION}`, gatewayHeaders),
      proofs: { file: proofs, first: 0, count },
    });
  const direct = () => runWrk(run(`${URLS.bank}${OPERATION}`, BACKEND_HEADERS));
  let gateway: WrkResult;
  let backend: WrkResult;
  if (round % 2 === 0) {
    gateway = await viaGateway();
    backend = await direct();
  } else {
    backend = await direct();
    gateway = await viaGateway();
  }
  return { rate, gateway: latencies(gateway), backend: latencies(backend) };
}

// --- the run ----------------------------------------------------------------------------

const started = Date.now();
const loadAtStart = os.loadavg()[0]!;
print(`gateway benchmark: ${os.cpus().length} CPUs, load average ${loadAtStart.toFixed(2)}`);
const tools = ensureTools(print);
if (!tools.wrk) {
  print('SKIP: wrk is not installed and could not be installed; nothing can be measured.');
  process.exit(0);
}
const only = args.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !(CONTENDERS as readonly string[]).includes(name));
if (unknown?.length) throw new Error(`--only: no contender ${unknown.join(', ')}`);
const contenders = CONTENDERS.filter((c) => !only || only.includes(c)).filter((c) => {
  if (c !== 'nginx' || tools.nginx) return true;
  print('SKIP nginx: it is not installed and could not be installed.');
  return false;
});
const versionOf = (command: string, flag: string) => {
  try {
    return execFileSync(command, [flag], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')[0]!
      .trim();
  } catch (error) {
    // nginx -v writes to stderr; wrk -v exits 1.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}`.split('\n')[0]!.trim();
  }
};
const versions = {
  node: process.version,
  wrk: versionOf('wrk', '-v'),
  nginx: tools.nginx ? versionOf(tools.nginx, '-v') : undefined,
};

let template = '';
const specVariants: Partial<Record<Contender, string>> = {};
const results: RunResult[] = [];
try {
  specVariants['gateway-5'] = writeSpecVariant(path.join(work, 'specs-5'), 5);
  specVariants['gateway-200'] = writeSpecVariant(path.join(work, 'specs-200'), 200);
  template = await prepareTemplate();
  print(
    `${settings.rounds} rounds × ${contenders.length} contenders, ${settings.warmup} s warm-up + ` +
      `${settings.duration} s each, ${settings.connections} connections, wrk ${settings.threads} thread(s)`,
  );
  for (let round = 0; round < settings.rounds; round++) {
    // Reversed every other round and rotated every two, so no contender always follows the
    // same one (machine noise drifts over a run; a fixed neighbour would carry it systematically).
    const shift = Math.floor(round / 2);
    const rotated = contenders.map((_, i) => contenders[(i + shift) % contenders.length]!);
    const order = round % 2 === 0 ? rotated : rotated.reverse();
    for (const contender of order) {
      const result =
        contender === 'backend' || contender === 'bare' || contender === 'nginx'
          ? await runPassThrough(contender, round, tools.nginx)
          : await runGateway(contender, round);
      results.push(result);
      const open = result.openLoop
        ? `; open loop ${result.openLoop.rate}/s p50 ${result.openLoop.gateway.p50Ms.toFixed(2)}` +
          ` (direct ${result.openLoop.backend.p50Ms.toFixed(2)}) p99 ${result.openLoop.gateway.p99Ms.toFixed(2)}` +
          ` (direct ${result.openLoop.backend.p99Ms.toFixed(2)}) ms`
        : '';
      const failed = result.failures + (result.openLoop?.gateway.failures ?? 0);
      print(
        `  round ${round + 1} ${contender.padEnd(11)} ${result.rps.toFixed(0).padStart(6)} req/s, ` +
          `${result.cpuMicrosPerRequest.toFixed(0)} µs CPU/req ` +
          `(scheduler ${result.runtimeMicrosPerRequest.toFixed(0)})${open}` +
          (failed ? `  !! ${failed} failed requests` : ''),
      );
    }
  }
} finally {
  await cleanUp();
}

// --- the report ---------------------------------------------------------------------------

const of = (c: Contender) => results.filter((r) => r.contender === c);

/** A contender's medians over the rounds. */
interface Summary {
  label: string;
  rps: number;
  rpsByRound: number[];
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  backendCpuMicrosPerRequest: number;
  consentServiceCpuMicrosPerRequest: number;
  failures: number;
}
const summary: Partial<Record<Contender, Summary>> = {};
for (const c of contenders) {
  const runs = of(c);
  summary[c] = {
    label: LABEL[c],
    rps: median(runs.map((r) => r.rps)),
    rpsByRound: runs.map((r) => round1(r.rps)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    cpuMicrosPerRequest: median(runs.map((r) => r.cpuMicrosPerRequest)),
    backendCpuMicrosPerRequest: median(runs.map((r) => r.backendCpuMicrosPerRequest)),
    consentServiceCpuMicrosPerRequest: median(
      runs.map((r) => r.consentServiceCpuMicrosPerRequest ?? Number.NaN),
    ),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
  };
}
const rpsOf = (c: Contender) => summary[c]?.rps ?? Number.NaN;
const openRuns = of('gateway').flatMap((r) => (r.openLoop ? [r.openLoop] : []));
const open = {
  rate: median(openRuns.map((o) => o.rate)),
  gateway: {
    p50Ms: median(openRuns.map((o) => o.gateway.p50Ms)),
    p99Ms: median(openRuns.map((o) => o.gateway.p99Ms)),
  },
  backend: {
    p50Ms: median(openRuns.map((o) => o.backend.p50Ms)),
    p99Ms: median(openRuns.map((o) => o.backend.p99Ms)),
  },
  /** Per round, gateway minus backend at the same rate on the same backend; then the median. */
  addedP50Ms: median(openRuns.map((o) => o.gateway.p50Ms - o.backend.p50Ms)),
  addedP99Ms: median(openRuns.map((o) => o.gateway.p99Ms - o.backend.p99Ms)),
  failures: openRuns.reduce((sum, o) => sum + o.gateway.failures + o.backend.failures, 0),
};
const gatewayCpu = summary.gateway?.cpuMicrosPerRequest ?? Number.NaN;
const cpuOf = (c: Contender) => summary[c]?.cpuMicrosPerRequest ?? Number.NaN;
const ratios = {
  gatewayRpsVsBare: rpsOf('gateway') / rpsOf('bare'),
  gatewayRpsVsNginx: rpsOf('gateway') / rpsOf('nginx'),
  gatewayCpuVsBare: gatewayCpu / cpuOf('bare'),
  gatewayCpuVsNginx: gatewayCpu / cpuOf('nginx'),
  rps200Vs5: rpsOf('gateway-200') / rpsOf('gateway-5'),
};
const verdict = (ok: boolean, value: number) =>
  Number.isNaN(value) ? 'n/a' : ok ? 'PASS' : 'FAIL';
const verdicts = {
  rpsVsBare: verdict(ratios.gatewayRpsVsBare >= TARGETS.minRpsVsBare, ratios.gatewayRpsVsBare),
  cpuPerRequest: verdict(gatewayCpu <= TARGETS.maxCpuMicrosPerRequest, gatewayCpu),
  addedP50: verdict(open.addedP50Ms <= TARGETS.maxAddedP50Ms, open.addedP50Ms),
  addedP99: verdict(open.addedP99Ms <= TARGETS.maxAddedP99Ms, open.addedP99Ms),
  specSize: verdict(ratios.rps200Vs5 >= TARGETS.minRps200VsRps5, ratios.rps200Vs5),
};

const fmt = (n: unknown, digits = 0) =>
  typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : '–';
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(0)}%` : '–');
const header = [
  'contender',
  'req/s',
  'p50 ms',
  'p99 ms',
  'proxy CPU µs/req',
  'backend CPU µs/req',
  '÷ bare',
  '÷ nginx',
];
const rows = contenders.map((c) => {
  const s = summary[c]!;
  return [
    s.label,
    fmt(s.rps),
    fmt(s.p50Ms, 2),
    fmt(s.p99Ms, 2),
    // Called directly, the backend is its own "proxy": its CPU is in the next column.
    c === 'backend' ? '–' : fmt(s.cpuMicrosPerRequest),
    fmt(s.backendCpuMicrosPerRequest),
    pct(s.rps / rpsOf('bare')),
    pct(s.rps / rpsOf('nginx')),
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) =>
  cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
    .join(' | ');
const sign = (n: number) => (n >= 0 ? `+${fmt(n, 2)}` : fmt(n, 2));
const report = [
  line(header),
  widths.map((w) => '-'.repeat(w)).join('-|-'),
  ...rows.map(line),
  '',
  `open loop at ${fmt(open.rate)} req/s (half the gateway's saturation), ${settings.openConnections} connections:`,
  `  gateway p50 ${fmt(open.gateway.p50Ms, 2)} ms, p99 ${fmt(open.gateway.p99Ms, 2)} ms; ` +
    `backend directly p50 ${fmt(open.backend.p50Ms, 2)} ms, p99 ${fmt(open.backend.p99Ms, 2)} ms`,
  `  added by the gateway: p50 ${sign(open.addedP50Ms)} ms, p99 ${sign(open.addedP99Ms)} ms`,
  `gateway CPU per request: ${fmt(ratios.gatewayCpuVsBare, 1)}× the bare proxy's, ` +
    `${fmt(ratios.gatewayCpuVsNginx, 1)}× nginx's`,
  '',
  `${verdicts.rpsVsBare}  gateway keeps ≥ 25% of the bare proxy's req/s: ${pct(ratios.gatewayRpsVsBare)}`,
  `${verdicts.cpuPerRequest}  gateway CPU ≤ 400 µs per request: ${fmt(gatewayCpu)} µs`,
  `${verdicts.addedP50}  adds ≤ 1 ms at p50 (open loop): ${sign(open.addedP50Ms)} ms`,
  `${verdicts.addedP99}  adds ≤ 5 ms at p99 (open loop): ${sign(open.addedP99Ms)} ms`,
  `${verdicts.specSize}  200-operation spec keeps ≥ 90% of the 5-operation req/s: ${pct(ratios.rps200Vs5)}`,
];
const loadAtEnd = os.loadavg()[0]!;
const anyFailed =
  results.reduce((sum, r) => sum + r.failures, 0) +
  (Number.isFinite(open.failures) ? open.failures : 0);
print();
for (const l of report) print(l);
print();
print(
  `medians of ${settings.rounds} rounds; load average ${loadAtStart.toFixed(2)} at start, ` +
    `${loadAtEnd.toFixed(2)} at end (above ${os.cpus().length / 2} means other work shared the CPUs); ` +
    `${Math.round((Date.now() - started) / 1000)} s`,
);
if (anyFailed > 0)
  print(`!! ${anyFailed} requests failed (see the per-round lines): treat the numbers with care`);

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  path.join(resultsDir, 'gateway.json'),
  `${JSON.stringify(
    {
      benchmark: 'gateway',
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
      versions,
      settings,
      gatewayEnv,
      operation: `GET ${OPERATION}`,
      targets: TARGETS,
      verdicts,
      ratios,
      contenders: summary,
      openLoop: open,
      runs: results,
    },
    null,
    2,
  )}\n`,
);
print('results: bench/results/gateway.json');

if (!args['skip-readme']) {
  updateReadme(report, {
    date: new Date().toISOString().slice(0, 10),
    load: `${loadAtStart.toFixed(1)}–${loadAtEnd.toFixed(1)}`,
  });
  print('README.md: "Benchmark" section updated');
}

/**
 * Writes the table into the root README's "Benchmark" section, between markers of its own so
 * other benchmarks (and people) can add to the section. The README is read just before it is
 * written: others edit it too.
 */
function updateReadme(lines: string[], about: { date: string; load: string }) {
  const file = path.join(repoRoot, 'README.md');
  const start = '<!-- bench/gateway.ts writes from here -->';
  const end = '<!-- bench/gateway.ts writes up to here -->';
  const block = [
    start,
    '',
    `The gateway, \`npm run bench -- gateway\` on ${os.cpus().length} CPUs (${about.date}, load ` +
      `average ${about.load}; medians of ${settings.rounds} rounds; method in ` +
      '[bench/README.md](bench/README.md#gateway)):',
    '',
    '```text',
    ...lines,
    '```',
    '',
    end,
  ].join('\n');
  const text = readFileSync(file, 'utf8');
  let next: string;
  if (text.includes(start) && text.includes(end)) {
    next = text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length);
  } else {
    const heading = /^## Benchmark\s*$/m.exec(text);
    if (heading) {
      const after = heading.index + heading[0].length;
      const nextHeading = /^## /m.exec(text.slice(after));
      const at = nextHeading ? after + nextHeading.index : text.length;
      next = `${text.slice(0, at).trimEnd()}\n\n${block}\n${nextHeading ? '\n' : ''}${text.slice(at)}`;
    } else {
      next = `${text.trimEnd()}\n\n## Benchmark\n\n${block}\n`;
    }
  }
  writeFileSync(file, next);
}
