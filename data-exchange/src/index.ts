import { createLogger, listen, runService } from '@bund/service-kit';
import { buildDataExchange } from './build.js';
import { loadDataExchangeConfig } from './config.js';

await runService('data-exchange', async () => {
  const config = loadDataExchangeConfig(process.env);
  const logger = createLogger('data-exchange', config.logLevel);
  const service = await buildDataExchange({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    databaseSchema: config.databaseSchema,
    credentials: {
      gateway: config.gatewayCredential,
      consentService: config.consentServiceCredential,
    },
    seed: config.seed,
    seedAnchorDate: config.seedAnchorDate,
    logger,
  });
  const server = await listen(service.app, config.port, config.host);
  logger.info(
    {
      url: server.url,
      database: config.databaseUrl ? 'postgresql' : 'sqlite',
      seed: service.seedRun.seed,
      anchorDate: service.seedRun.anchorDate,
    },
    'data-exchange listening',
  );
  return {
    url: server.url,
    async stop() {
      service.beginShutdown();
      await server.close(config.shutdownTimeoutMs);
      await service.db.destroy();
    },
  };
});
