/**
 * Benchmark child, contender A: Bund's real consent service as `index.ts` would build it —
 * `buildConsentService` on a SQLite file in a temporary directory, with its pages, interaction
 * routes and KnexAdapter — calling the mock bank (another child) for login and accounts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildConsentService } from '@bund/consent-service/build';
import { createBankClient, withShortMemory } from '@bund/consent-service/bank/bank-client';
import type { Bank } from '@bund/consent-service/bank/bank-client';
import type { Knex } from '@bund/service-kit';
import { KnexAdapter } from '@bund/consent-service/oidc/knex-adapter';
import { loadOrCreateSigningKeys } from '@bund/consent-service/oidc/signing-keys';
import { countAdapterCalls } from './adapter-calls.js';
import { close, listen, timeRoutes } from './listen.js';
import { serveChild } from './protocol.js';
import { newTpp, registration } from './tpp.js';

/** The bank client with each call counted and timed (the time the consent service waits). */
function measuredBank(bank: Bank) {
  let calls = 0;
  let waitMs = 0;
  const measure =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const start = performance.now();
      try {
        return await call(...args);
      } finally {
        calls += 1;
        waitMs += performance.now() - start;
      }
    };
  const measured: Bank = {
    authenticate: measure(bank.authenticate.bind(bank)),
    customer: measure(bank.customer.bind(bank)),
    accounts: measure(bank.accounts.bind(bank)),
  };
  return {
    bank: measured,
    stats: () => ({ bankCalls: calls, bankWaitMs: waitMs }),
    reset: () => {
      calls = 0;
      waitMs = 0;
    },
  };
}

/**
 * Every SQL statement the service sends (adapter and consent store alike, BEGIN and COMMIT
 * included), counted, and the time from sending each until its answer, summed.
 */
function measuredQueries(db: Knex) {
  type Query = { __knexQueryUid: string };
  const sent = new Map<string, number>();
  let statements = 0;
  let waitMs = 0;
  const answered = (query: Query) => {
    const start = sent.get(query.__knexQueryUid);
    if (start === undefined) return;
    sent.delete(query.__knexQueryUid);
    waitMs += performance.now() - start;
  };
  db.on('query', (query: Query) => {
    statements += 1;
    sent.set(query.__knexQueryUid, performance.now());
  });
  db.on('query-response', (_response: unknown, query: Query) => answered(query));
  db.on('query-error', (_error: unknown, query: Query) => answered(query));
  return {
    stats: () => ({ sqlStatements: statements, sqlWaitMs: waitMs }),
    reset: () => {
      sent.clear();
      statements = 0;
      waitMs = 0;
    },
  };
}

await serveChild('bund', async () => {
  const bankUrl = process.env.BENCH_BANK_URL;
  const credential = process.env.BENCH_BANK_CREDENTIAL;
  if (!bankUrl || !credential)
    throw new Error('BENCH_BANK_URL and BENCH_BANK_CREDENTIAL are required');
  const adapterCalls = countAdapterCalls(KnexAdapter);
  // As in production (consent-service/src/index.ts): pages reuse what the bank said a moment ago.
  const bank = measuredBank(createBankClient(bankUrl, credential));
  const rememberingBank = withShortMemory(bank.bank);
  const handler = { current: ((_req, res) => res.writeHead(503).end()) as RequestListener };
  const routes = timeRoutes((req, res) => handler.current(req, res));
  const { server, url: issuer } = await listen(routes.handler);
  const dir = mkdtempSync(path.join(tmpdir(), 'bund-bench-'));
  // However the process ends (even mid-flow, with queries outstanding), the files go with it.
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const tpp = await newTpp();
  const service = await buildConsentService({
    issuer,
    gatewayUrl: 'http://localhost:8080',
    sqliteFile: path.join(dir, 'consent-service.sqlite'),
    bank: rememberingBank,
    clients: {
      metadata: [registration(tpp)],
      display: new Map([[tpp.clientId, { name: { en: 'Bench TPP', zh: '基准 TPP' } }]]),
    },
    signingKeys: await loadOrCreateSigningKeys(path.join(dir, 'keys.json')),
    secrets: {
      cookieKey: randomBytes(32).toString('base64url'),
      dpopNonce: randomBytes(32).toString('base64url'),
      csrf: randomBytes(32).toString('base64url'),
    },
  });
  handler.current = service.app as unknown as RequestListener;
  const sql = measuredQueries(service.db);
  let resetAt = new Date().toISOString();
  /** Consent records the measured flows left behind, by status. */
  const consentsSince = async () => {
    const rows = (await service
      .db('consents')
      .where('created_at', '>=', resetAt)
      .groupBy('status')
      .select('status')
      .count({ n: '*' })) as { status: string; n: number | string }[];
    return Object.fromEntries(rows.map((r) => [`consents${r.status}`, Number(r.n)]));
  };
  return {
    info: { url: issuer, tpp },
    reset: () => {
      adapterCalls.reset();
      routes.reset();
      bank.reset();
      sql.reset();
      resetAt = new Date().toISOString();
    },
    adapterCalls: adapterCalls.counts,
    routes: routes.times,
    extra: async () => {
      const stats = { ...bank.stats(), ...sql.stats() };
      return { ...stats, ...(await consentsSince()) };
    },
    close: async () => {
      await close(server);
      await service.db.destroy();
    },
  };
});
