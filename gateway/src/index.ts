import { createLogger, listen, runService } from '@bund/service-kit';
import { buildGateway } from './build.js';
import { loadGatewayConfig } from './config.js';

await runService('gateway', async () => {
  const config = loadGatewayConfig(process.env);
  const logger = createLogger('gateway', config.logLevel);
  const gateway = await buildGateway({
    publicUrl: config.publicUrl,
    consentServiceUrl: config.consentServiceUrl,
    backends: config.backends,
    credential: config.credential,
    connectTimeoutMs: config.connectTimeoutMs,
    responseTimeoutMs: config.responseTimeoutMs,
    circuitResetMs: config.circuitResetMs,
    validateResponses: config.validateResponses,
    rateLimit: config.rateLimit,
    probeIntervalMs: config.probeIntervalMs,
    probeTimeoutMs: config.probeTimeoutMs,
    corsOrigins: config.corsOrigins,
    replayCacheUrl: config.replayCacheUrl,
    replayCacheMaxEntries: config.replayCacheMaxEntries,
    logger,
  });
  const running = await listen(gateway.app, config.port, config.host);
  let operators: Awaited<ReturnType<typeof listen>>;
  try {
    operators = await listen(gateway.opsApp, config.opsPort, config.host);
  } catch (error) {
    await running.close(0);
    await gateway.close();
    throw new Error(`the operator port ${config.opsPort} (GATEWAY_OPS_PORT) is not available`, {
      cause: error,
    });
  }
  logger.info(
    { url: config.publicUrl, operatorUrl: operators.url, backends: Object.keys(config.backends) },
    'gateway listening',
  );
  return {
    url: config.publicUrl,
    operatorUrl: operators.url,
    async stop() {
      gateway.beginShutdown();
      await running.close(config.shutdownTimeoutMs);
      await operators.close(config.shutdownTimeoutMs);
      await gateway.close();
    },
  };
});
