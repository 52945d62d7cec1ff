import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { createLogger, listen, runService } from '@bund/service-kit';
import { buildSampleTpp } from './build.js';
import { loadSampleTppConfig } from './config.js';

// The sample TPP's process: read config and key, build (discovers the bank), listen.
await runService('sample-tpp', async () => {
  const config = loadSampleTppConfig(process.env);
  const logger = createLogger('sample-tpp', config.logLevel);
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(readFileSync(config.clientKeyFile, 'utf8')) as JWK;
  } catch (error) {
    throw new Error(
      `cannot read the client key ${config.clientKeyFile} (SAMPLE_TPP_CLIENT_KEY_FILE): ${(error as Error).message}; the consent service creates it at its first start`,
      { cause: error },
    );
  }
  const tpp = await buildSampleTpp({
    publicUrl: config.publicUrl,
    issuer: config.issuer,
    gatewayUrl: config.gatewayUrl,
    clientId: config.clientId,
    privateJwk,
    logger,
  });
  const server = await listen(tpp.app, config.port, config.host);
  logger.info({ url: config.publicUrl, issuer: config.issuer }, 'sample-tpp listening');
  return {
    // What people open (the redirect URIs are registered on it), not the bound address.
    url: config.publicUrl,
    async stop() {
      tpp.beginShutdown();
      await server.close(config.shutdownTimeoutMs);
      tpp.close();
    },
  };
});
