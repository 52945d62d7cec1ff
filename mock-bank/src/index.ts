import { createLogger, listen, runService } from '@bund/service-kit';
import { buildMockBank } from './build.js';
import { loadMockBankConfig } from './config.js';

// The mock bank's process: read config, build, listen; SIGINT/SIGTERM drain and close.
await runService('mock-bank', async () => {
  const config = loadMockBankConfig(process.env);
  const logger = createLogger('mock-bank', config.logLevel);
  let shuttingDown = false;
  const bank = await buildMockBank({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    databaseSchema: config.databaseSchema,
    anchorDate: config.seedAnchorDate,
    seed: config.seed,
    credentials: {
      gateway: config.gatewayCredential,
      consentService: config.consentServiceCredential,
    },
    cursorKey: config.cursorKey,
    logger,
    isShuttingDown: () => shuttingDown,
  });
  const server = await listen(bank.app, config.port, config.host);
  logger.info({ url: server.url, anchorDate: config.seedAnchorDate }, 'mock-bank listening');
  return {
    url: server.url,
    async stop() {
      shuttingDown = true;
      await server.close(config.shutdownTimeoutMs);
      await bank.db.destroy();
    },
  };
});
