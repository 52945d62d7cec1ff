import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@bund/service-kit';
import { loadDataExchangeConfig, todayUtc } from '@bund/data-exchange/config';

describe('data-exchange configuration', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'data-exchange-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('fills defaults, generates the internal credentials under DATA_DIR, and freezes the result', () => {
    const config = loadDataExchangeConfig({ DATA_DIR: dataDir });
    assert.equal(config.port, 4002);
    assert.equal(config.seed, 20260102);
    assert.equal(config.seedAnchorDate, todayUtc());
    assert.equal(config.databaseUrl, '');
    assert.equal(config.databaseSchema, 'data_exchange');
    assert.equal(config.sqliteFile, path.join(dataDir, 'data-exchange.sqlite'));
    const secret = (name: string) => readFileSync(path.join(dataDir, 'secrets', name), 'utf8');
    assert.equal(config.gatewayCredential, secret('gateway-credential'));
    assert.equal(config.consentServiceCredential, secret('consent-service-credential'));
    assert.notEqual(config.gatewayCredential, config.consentServiceCredential);
    assert.ok(Object.isFrozen(config));
  });

  it('takes the port, seed, anchor date and credentials from the environment', () => {
    const config = loadDataExchangeConfig({
      DATA_DIR: dataDir,
      DATA_EXCHANGE_PORT: '4102',
      SEED: '42',
      SEED_ANCHOR_DATE: '2026-01-02',
      GATEWAY_INTERNAL_CREDENTIAL: 'g',
      CONSENT_SERVICE_INTERNAL_CREDENTIAL: 'c',
    });
    assert.deepEqual(
      [
        config.port,
        config.seed,
        config.seedAnchorDate,
        config.gatewayCredential,
        config.consentServiceCredential,
      ],
      [4102, 42, '2026-01-02', 'g', 'c'],
    );
  });

  it('stops with an error naming every invalid variable', () => {
    assert.throws(
      () =>
        loadDataExchangeConfig({
          DATA_DIR: dataDir,
          SEED_ANCHOR_DATE: '2026-02-30',
          SEED: '-1',
          DATA_EXCHANGE_PORT: 'http',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual([...error.variables].sort(), [
          'DATA_EXCHANGE_PORT',
          'SEED',
          'SEED_ANCHOR_DATE',
        ]);
        assert.match(error.message, /SEED_ANCHOR_DATE: .*2026-02-30/);
        return true;
      },
    );
  });
});
