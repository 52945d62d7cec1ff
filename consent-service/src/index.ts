import { createLogger, listen, loadOrCreateSecret, runService } from '@bund/service-kit';
import { createBankClient, withShortMemory } from './bank/bank-client.js';
import { buildConsentService } from './build.js';
import { loadConsentServiceConfig } from './config.js';
import { DATA_ACCESS_RETENTION_DAYS } from './data-access/data-access-store.js';
import { loadClients } from './oidc/clients.js';
import { loadOrCreateSigningKeys } from './oidc/signing-keys.js';
import { signingKeyFile } from './signing-key-file.js';

await runService('consent-service', async () => {
  const config = loadConsentServiceConfig(process.env);
  const logger = createLogger('consent-service', config.logLevel);
  const service = await buildConsentService({
    issuer: config.issuer,
    gatewayUrl: config.gatewayUrl,
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    databaseSchema: config.databaseSchema,
    bank: withShortMemory(createBankClient(config.mockBankUrl, config.consentServiceCredential)),
    clients: await loadClients(config.clientsFile, config.dataDir),
    signingKeys: await loadOrCreateSigningKeys(signingKeyFile(config.dataDir)),
    secrets: {
      cookieKey: loadOrCreateSecret(config.dataDir, 'consent-service-cookie-key'),
      dpopNonce: loadOrCreateSecret(config.dataDir, 'consent-service-dpop-nonce-key'),
      csrf: loadOrCreateSecret(config.dataDir, 'consent-service-csrf-key'),
    },
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenMaxTtlSeconds: config.refreshTokenMaxTtlSeconds,
    limits: { maxDurationDays: config.maxConsentDays },
    dataAccessRetentionDays: config.dataAccessRetentionDays,
    loginThrottle: config.loginThrottle,
    ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
    logger,
    gatewayCredential: config.gatewayCredential,
  });
  if (config.dataAccessRetentionDays < DATA_ACCESS_RETENTION_DAYS) {
    logger.warn(
      { retentionDays: config.dataAccessRetentionDays },
      'DATA_ACCESS_RETENTION_DAYS is under six months: check that no log-retention rule applies',
    );
  }
  // Time-driven transitions and housekeeping; every replica may run them (transitions are
  // conditional, so two replicas cannot apply one twice).
  const timeouts = setInterval(() => {
    service.consents
      .applyTimeouts(config.awaitingAuthorisationMinutes)
      .catch((err: unknown) => logger.error({ err }, 'consent timeouts failed'));
  }, 30_000);
  // One purge at a time (a first purge of a large backlog may outlast the interval); stop()
  // waits for it, which ends between two deletes once the service is shutting down.
  let purging: Promise<void> | undefined;
  const purge = setInterval(() => {
    purging ??= service
      .purgeExpired()
      .catch((err: unknown) => logger.error({ err }, 'purging expired rows failed'))
      .finally(() => (purging = undefined));
  }, 10 * 60_000);
  const running = await listen(service.app, config.port, config.host);
  logger.info({ url: running.url, issuer: config.issuer }, 'consent service listening');
  return {
    // What people and TPPs use (the issuer), not the bound address.
    url: config.issuer,
    async stop() {
      service.beginShutdown();
      clearInterval(timeouts);
      clearInterval(purge);
      await running.close(config.shutdownTimeoutMs);
      await purging;
      await service.close();
      await service.db.destroy();
    },
  };
});
