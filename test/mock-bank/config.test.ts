import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@bund/service-kit';
import { loadMockBankConfig } from '@bund/mock-bank/config';

describe('mock-bank: configuration', () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), 'mock-bank-config-'));

  it('fills defaults: port 4001, schema mock_bank, seed 20260101, anchored today, SQLite under DATA_DIR', () => {
    const dir = dataDir();
    const config = loadMockBankConfig({ DATA_DIR: dir });
    assert.equal(config.port, 4001);
    assert.equal(config.databaseSchema, 'mock_bank');
    assert.equal(config.seed, 20260101);
    assert.equal(config.seedAnchorDate, new Date().toISOString().slice(0, 10));
    assert.equal(config.sqliteFile, path.join(dir, 'mock-bank.sqlite'));
    assert.ok(Object.isFrozen(config));
  });

  it('uses the internal credentials generated under DATA_DIR unless the environment sets them', () => {
    const dir = dataDir();
    const generated = loadMockBankConfig({ DATA_DIR: dir });
    assert.equal(
      generated.gatewayCredential,
      readFileSync(path.join(dir, 'secrets', 'gateway-credential'), 'utf8'),
    );
    assert.equal(
      generated.consentServiceCredential,
      readFileSync(path.join(dir, 'secrets', 'consent-service-credential'), 'utf8'),
    );
    assert.notEqual(generated.gatewayCredential, generated.consentServiceCredential);
    const given = loadMockBankConfig({
      DATA_DIR: dir,
      GATEWAY_INTERNAL_CREDENTIAL: 'gw',
      CONSENT_SERVICE_INTERNAL_CREDENTIAL: 'cs',
    });
    assert.equal(given.gatewayCredential, 'gw');
    assert.equal(given.consentServiceCredential, 'cs');
  });

  it('stops with an error naming every invalid variable', () => {
    assert.throws(
      () =>
        loadMockBankConfig({
          DATA_DIR: dataDir(),
          MOCK_BANK_PORT: 'bank',
          SEED: '-1',
          SEED_ANCHOR_DATE: '2025-02-30',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual([...error.variables].sort(), [
          'MOCK_BANK_PORT',
          'SEED',
          'SEED_ANCHOR_DATE',
        ]);
        return true;
      },
    );
    assert.throws(() => loadMockBankConfig({ DATA_DIR: dataDir(), SEED: '4294967296' }), /SEED/);
  });
});
