/**
 * Benchmark child: the real mock bank (SQLite `:memory:`, seeded demo customers), which Bund's
 * consent service calls to log the customer in and list their accounts. Its own process, as
 * in a deployment, so its CPU (scrypt password checks above all) is measured on its own.
 */
import { randomBytes } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { buildMockBank } from '@bund/mock-bank/build';
import { close, listen, timeRoutes } from './listen.js';
import { serveChild } from './protocol.js';

await serveChild('mock-bank', async () => {
  const consentService = process.env.BENCH_BANK_CREDENTIAL;
  if (!consentService) throw new Error('BENCH_BANK_CREDENTIAL is required');
  const bank = await buildMockBank({
    databaseUrl: '',
    sqliteFile: ':memory:',
    credentials: { gateway: randomBytes(16).toString('hex'), consentService },
    logLevel: 'silent',
  });
  const routes = timeRoutes(bank.app as unknown as RequestListener);
  const { server, url } = await listen(routes.handler);
  return {
    info: { url: url.replace('localhost', '127.0.0.1') },
    reset: routes.reset,
    adapterCalls: () => ({}),
    routes: routes.times,
    extra: () => ({}),
    close: async () => {
      await close(server);
      await bank.db.destroy();
    },
  };
});
