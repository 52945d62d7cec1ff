import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, commonSpecs, loadConfig, loadOrCreateSecret, port } from '@bund/service-kit';

describe('service-kit: configuration', () => {
  const specs = { ...commonSpecs({ schema: 'demo' }), DEMO_PORT: port({ default: 4999 }) };

  it('fills defaults from an empty environment and freezes the result', () => {
    const config = loadConfig({}, specs);
    assert.equal(config.DEMO_PORT, 4999);
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.DATABASE_SCHEMA, 'demo');
    assert.throws(() => {
      (config as unknown as Record<string, unknown>).DEMO_PORT = 1;
    });
  });

  it('stops with an error naming every invalid variable', () => {
    assert.throws(
      () => loadConfig({ DEMO_PORT: 'eighty', SHUTDOWN_TIMEOUT_MS: '-5' }, specs),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual([...error.variables].sort(), ['DEMO_PORT', 'SHUTDOWN_TIMEOUT_MS']);
        assert.match(error.message, /DEMO_PORT/);
        return true;
      },
    );
  });
});

describe('service-kit: generated secrets', () => {
  it('creates a secret once, owner-readable only, and returns the same one afterwards', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bund-secret-'));
    const first = loadOrCreateSecret(dir, 'demo');
    assert.equal(loadOrCreateSecret(dir, 'demo'), first);
    assert.ok(first.length >= 40);
    assert.equal(statSync(path.join(dir, 'secrets', 'demo')).mode & 0o777, 0o600);
    assert.notEqual(loadOrCreateSecret(dir, 'other'), first);
  });
});
