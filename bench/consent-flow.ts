/**
 * Complete authorization flows per second: Bund's consent service against a bare
 * oidc-provider, each flow PAR (private_key_jwt, DPoP) → login and consent driven over HTTP →
 * token. Each round starts every contender in fresh child processes (rounds interleaved, the
 * order alternating) and drives it from this process: warm-up flows first, then the measured
 * ones. Prints a side-by-side table and writes bench/results/consent-flow.json.
 *
 *   node --import tsx bench/consent-flow.ts [--rounds 5] [--flows 100] [--warmup 20]
 *                                           [--concurrency 4] [--profile <dir>]
 *
 * Exits 0 when a target is missed: a benchmark reports, it does not gate.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ADAPTER_METHODS } from './consent-flow/adapter-calls.js';
import { Child } from './consent-flow/child.js';
import { connectTpp, runFlows } from './consent-flow/flow.js';
import type { RouteTimes } from './consent-flow/listen.js';
import type { CallCounts } from './consent-flow/protocol.js';
import { median, percentile, table } from './consent-flow/stats.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    flows: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
    profile: { type: 'string' },
  },
});
const settings = {
  rounds: Number(args.rounds),
  flows: Number(args.flows),
  warmup: Number(args.warmup),
  concurrency: Number(args.concurrency),
};
for (const [name, value] of Object.entries(settings)) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
}
/** `--profile <dir>`: every child writes a V8 CPU profile of its measured flows there. */
const childEnv: Record<string, string> = args.profile
  ? { BENCH_PROFILE_DIR: path.resolve(args.profile) }
  : {};

/** The issue's targets: Bund's flow rate against bare's, and its adapter calls per flow. */
const TARGETS = { minFlowRateRatio: 0.5, maxExtraAdapterCallsPerFlow: 1 };

type Contender = 'bund' | 'bare';
const LABEL: Record<Contender, string> = {
  bund: 'Bund consent-service (KnexAdapter, SQLite)',
  bare: 'bare oidc-provider (MemoryAdapter)',
};

const print = (line = '') => process.stdout.write(`${line}\n`);

/** One contender's measured flows in one round. */
interface Round {
  contender: Contender;
  round: number;
  flows: number;
  wallMs: number;
  flowsPerSecond: number;
  latenciesMs: number[];
  adapterCalls: CallCounts;
  /** CPU of the authorization server's process, of the mock bank's (Bund only), of this one. */
  cpuMs: { server: number; bank: number; client: number };
  requests: { tpp: number; browser: number };
  routes: { server: RouteTimes; bank: RouteTimes };
  extra: Record<string, number>;
}

async function runRound(contender: Contender, round: number): Promise<Round> {
  const children: Child[] = [];
  try {
    let env = childEnv;
    let bank: Child | undefined;
    if (contender === 'bund') {
      const credential = randomBytes(16).toString('hex');
      const started = await Child.start('bank-server.ts', {
        ...childEnv,
        BENCH_BANK_CREDENTIAL: credential,
      });
      bank = started.child;
      children.push(bank);
      env = { ...childEnv, BENCH_BANK_URL: started.info.url, BENCH_BANK_CREDENTIAL: credential };
    }
    const { child: server, info } = await Child.start(`${contender}-server.ts`, env);
    children.push(server);
    const tpp = await connectTpp(info);
    await runFlows(tpp, settings.warmup, settings.concurrency);
    await Promise.all(children.map((child) => child.reset()));
    tpp.requests = 0;
    const clientCpu = process.cpuUsage();
    const { results, wallMs } = await runFlows(tpp, settings.flows, settings.concurrency);
    const client = process.cpuUsage(clientCpu);
    const serverReport = await server.report();
    const bankReport = await bank?.report();
    return {
      contender,
      round,
      flows: results.length,
      wallMs,
      flowsPerSecond: (results.length * 1000) / wallMs,
      latenciesMs: results.map((r) => r.ms),
      adapterCalls: serverReport.adapterCalls,
      cpuMs: {
        server: serverReport.cpuMs,
        bank: bankReport?.cpuMs ?? 0,
        client: (client.user + client.system) / 1000,
      },
      requests: {
        tpp: tpp.requests,
        browser: results.reduce((sum, r) => sum + r.browserRequests, 0),
      },
      routes: { server: serverReport.routes, bank: bankReport?.routes ?? {} },
      extra: serverReport.extra,
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

/** Per-flow sums of several rounds' counters. */
function perFlow(maps: Record<string, number>[], flows: number): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const map of maps)
    for (const [key, n] of Object.entries(map)) sums[key] = (sums[key] ?? 0) + n;
  return Object.fromEntries(Object.entries(sums).map(([key, n]) => [key, n / flows]));
}

/** Requests per flow and mean server time per request, by route. */
function routeSummary(times: RouteTimes[], flows: number) {
  const count = perFlow(
    times.map((t) => Object.fromEntries(Object.entries(t).map(([r, v]) => [r, v.count]))),
    flows,
  );
  const ms = perFlow(
    times.map((t) => Object.fromEntries(Object.entries(t).map(([r, v]) => [r, v.totalMs]))),
    flows,
  );
  return Object.fromEntries(
    Object.keys(count).map((route) => [
      route,
      { perFlow: count[route]!, meanMs: ms[route]! / count[route]! },
    ]),
  );
}

/** A contender over all its rounds: median flow rate, latency over every measured flow, per-flow costs. */
function summarise(rounds: Round[]) {
  const flows = rounds.reduce((sum, r) => sum + r.flows, 0);
  const total = (pick: (r: Round) => number) => rounds.reduce((sum, r) => sum + pick(r), 0) / flows;
  const latencies = rounds.flatMap((r) => r.latenciesMs);
  const byModel = perFlow(
    rounds.map((r) => r.adapterCalls),
    flows,
  );
  const byMethod = Object.fromEntries(
    ADAPTER_METHODS.map((method) => [
      method,
      Object.entries(byModel).reduce(
        (sum, [key, n]) => (key.endsWith(`.${method}`) ? sum + n : sum),
        0,
      ),
    ]),
  );
  return {
    flowsPerSecond: median(rounds.map((r) => r.flowsPerSecond)),
    flowsPerSecondByRound: rounds.map((r) => r.flowsPerSecond),
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    adapterCallsPerFlow: Object.values(byMethod).reduce((a, b) => a + b, 0),
    adapterCallsPerFlowByMethod: byMethod,
    adapterCallsPerFlowByModel: byModel,
    cpuMsPerFlow: {
      server: total((r) => r.cpuMs.server),
      bank: total((r) => r.cpuMs.bank),
      client: total((r) => r.cpuMs.client),
    },
    requestsPerFlow: {
      tpp: total((r) => r.requests.tpp),
      browser: total((r) => r.requests.browser),
    },
    serverRoutes: routeSummary(
      rounds.map((r) => r.routes.server),
      flows,
    ),
    bankRoutes: routeSummary(
      rounds.map((r) => r.routes.bank),
      flows,
    ),
    extraPerFlow: perFlow(
      rounds.map((r) => r.extra),
      flows,
    ),
  };
}

const startedAt = Date.now();
const cpus = os.availableParallelism();
const loadAtStart = os.loadavg()[0]!;
print(
  `consent-flow: ${settings.rounds} rounds × ${settings.flows} measured flows per contender (after ${settings.warmup} warm-up flows), ` +
    `${settings.concurrency} concurrent; node ${process.version}, ${cpus} CPUs`,
);
const rounds: Round[] = [];
for (let round = 1; round <= settings.rounds; round++) {
  // Alternate who goes first, so neither always runs on a machine the other just left.
  const order: Contender[] = round % 2 === 1 ? ['bund', 'bare'] : ['bare', 'bund'];
  const line: string[] = [];
  for (const contender of order) {
    const result = await runRound(contender, round);
    rounds.push(result);
    line.push(`${contender} ${result.flowsPerSecond.toFixed(1)} flows/s`);
  }
  print(`  round ${round}: ${line.join(', ')}`);
}

const bund = summarise(rounds.filter((r) => r.contender === 'bund'));
const bare = summarise(rounds.filter((r) => r.contender === 'bare'));
const ratio = bund.flowsPerSecond / bare.flowsPerSecond;
const extraCalls = bund.adapterCallsPerFlow - bare.adapterCallsPerFlow;
const verdict = {
  flowRate: ratio >= TARGETS.minFlowRateRatio ? 'PASS' : 'FAIL',
  adapterCalls: extraCalls <= TARGETS.maxExtraAdapterCallsPerFlow ? 'PASS' : 'FAIL',
};
const f = (value: number, digits = 1) => value.toFixed(digits);
/** Counts per flow: whole numbers as they are (they should be), anything else with decimals. */
const c = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));
const signed = (value: number) => `${value >= 0 ? '+' : ''}${c(value)}`;

print();
print(
  table(
    ['contender', 'flows/s (median)', 'p50 ms', 'p99 ms', 'adapter calls/flow', 'CPU ms/flow'],
    [
      [
        LABEL.bund,
        f(bund.flowsPerSecond),
        f(bund.latencyMs.p50),
        f(bund.latencyMs.p99),
        c(bund.adapterCallsPerFlow),
        `${f(bund.cpuMsPerFlow.server, 0)} + bank ${f(bund.cpuMsPerFlow.bank, 0)}`,
      ],
      [
        LABEL.bare,
        f(bare.flowsPerSecond),
        f(bare.latencyMs.p50),
        f(bare.latencyMs.p99),
        c(bare.adapterCallsPerFlow),
        f(bare.cpuMsPerFlow.server, 0),
      ],
      [
        'ratio Bund / bare',
        f(ratio, 2),
        f(bund.latencyMs.p50 / bare.latencyMs.p50, 2),
        f(bund.latencyMs.p99 / bare.latencyMs.p99, 2),
        signed(extraCalls),
        f((bund.cpuMsPerFlow.server + bund.cpuMsPerFlow.bank) / bare.cpuMsPerFlow.server, 2),
      ],
    ],
  ),
);
print();
print(
  `${verdict.flowRate}  flow rate: Bund at ${f(ratio * 100, 0)}% of the bare provider's (target ≥ ${TARGETS.minFlowRateRatio * 100}%)`,
);
print(
  `${verdict.adapterCalls}  adapter calls: Bund ${c(bund.adapterCallsPerFlow)} per flow, bare ${c(bare.adapterCallsPerFlow)} (target ≤ bare + ${TARGETS.maxExtraAdapterCallsPerFlow})`,
);
print();
const methods = ADAPTER_METHODS.filter(
  (m) => bund.adapterCallsPerFlowByMethod[m] || bare.adapterCallsPerFlowByMethod[m],
);
print(
  table(
    ['adapter calls per flow', ...methods, 'total'],
    [
      [
        'Bund (KnexAdapter)',
        ...methods.map((m) => c(bund.adapterCallsPerFlowByMethod[m]!)),
        c(bund.adapterCallsPerFlow),
      ],
      [
        'bare (MemoryAdapter)',
        ...methods.map((m) => c(bare.adapterCallsPerFlowByMethod[m]!)),
        c(bare.adapterCallsPerFlow),
      ],
    ],
  ),
);
const models = [
  ...new Set([
    ...Object.keys(bund.adapterCallsPerFlowByModel),
    ...Object.keys(bare.adapterCallsPerFlowByModel),
  ]),
].sort();
const differing = models.filter(
  (key) =>
    (bund.adapterCallsPerFlowByModel[key] ?? 0) !== (bare.adapterCallsPerFlowByModel[key] ?? 0),
);
if (differing.length > 0) {
  print(
    `  differ: ${differing.map((k) => `${k} ${c(bund.adapterCallsPerFlowByModel[k] ?? 0)} vs ${c(bare.adapterCallsPerFlowByModel[k] ?? 0)}`).join(', ')}`,
  );
}
print();
/** The order in which a flow reaches the authorization server's routes. */
const FLOW_ORDER = [
  'POST /request',
  'GET /auth',
  'GET /interaction/:uid',
  'POST /interaction/:uid/login',
  'GET /auth/:uid',
  'POST /interaction/:uid/accounts',
  'POST /interaction/:uid/approve',
  'POST /token',
];
const position = (route: string) =>
  (FLOW_ORDER.indexOf(route) + FLOW_ORDER.length + 1) % (FLOW_ORDER.length + 1);
const routes = Object.keys(bund.serverRoutes).sort((a, b) => position(a) - position(b));
print(
  table(
    ['server ms per request (mean)', 'per flow', 'Bund', 'bare'],
    [
      ...routes.map((route) => [
        route,
        c(bund.serverRoutes[route]!.perFlow),
        f(bund.serverRoutes[route]!.meanMs),
        bare.serverRoutes[route] ? f(bare.serverRoutes[route].meanMs) : '-',
      ]),
      ...Object.entries(bund.bankRoutes).map(([route, r]) => [
        `  mock bank: ${route}`,
        c(r.perFlow),
        f(r.meanMs),
        '-',
      ]),
    ],
  ),
);
print();
const x = bund.extraPerFlow;
const consentsLeft = Object.entries(x).filter(
  ([key, n]) => key.startsWith('consents') && key !== 'consentsAuthorised' && n > 0,
);
const sameRequests =
  bund.requestsPerFlow.tpp === bare.requestsPerFlow.tpp &&
  bund.requestsPerFlow.browser === bare.requestsPerFlow.browser;
const requests = (s: typeof bund) =>
  `${c(s.requestsPerFlow.tpp)} TPP requests (PAR, token) + ${c(s.requestsPerFlow.browser)} browser requests`;
print(
  (sameRequests
    ? `Per flow, each contender: ${requests(bund)}. `
    : `Per flow: Bund ${requests(bund)}, bare ${requests(bare)}. `) +
    `Bund also makes ${c(x.bankCalls ?? 0)} bank calls (${f(x.bankWaitMs ?? 0, 0)} ms waited) and ` +
    `${c(x.sqlStatements ?? 0)} SQL statements (${c(bund.adapterCallsPerFlow)} from the adapter), and authorises ` +
    `${c(x.consentsAuthorised ?? 0)} consent.`,
);
if (consentsLeft.length > 0)
  print(
    `WARNING: flows also left consents ${consentsLeft.map(([k, n]) => `${k.slice(8)} ${c(n)}`).join(', ')} per flow`,
  );
print(
  "The bare journey takes the same HTTP steps and checks the password with the mock bank's scrypt (N=2^14) in process, " +
    'but has no CSRF tokens, bank calls or consent records, and keeps state in an in-process LRU.',
);
print(
  `Client (this process) CPU per flow: Bund ${f(bund.cpuMsPerFlow.client, 0)} ms, bare ${f(bare.cpuMsPerFlow.client, 0)} ms. ` +
    `Load average ${f(loadAtStart, 2)} at start, ${f(os.loadavg()[0]!, 2)} at end, on ${cpus} CPUs` +
    (loadAtStart > cpus / 2 ? ': other processes were busy, expect noise.' : '.'),
);

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, 'consent-flow.json');
writeFileSync(
  file,
  `${JSON.stringify(
    {
      benchmark: 'consent-flow',
      date: new Date().toISOString(),
      node: process.version,
      cpus,
      loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] },
      settings,
      targets: TARGETS,
      verdict,
      ratio: { flowsPerSecond: ratio, extraAdapterCallsPerFlow: extraCalls },
      contenders: { bund, bare },
      rounds: rounds.map(({ latenciesMs, ...round }) => ({
        ...round,
        latencyMs: { p50: percentile(latenciesMs, 50), p99: percentile(latenciesMs, 99) },
      })),
    },
    null,
    2,
  )}\n`,
);
print(
  `results: ${path.relative(process.cwd(), file)} (${f((Date.now() - startedAt) / 1000, 0)} s)`,
);
