import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGatewayConfig } from '@bund/gateway/config';

describe('gateway configuration', () => {
  const base = () => ({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bund-gateway-config-')) });

  it('checks backend answers against the specs in development and test, not in production', () => {
    assert.equal(loadGatewayConfig(base()).validateResponses, true);
    assert.equal(loadGatewayConfig({ ...base(), NODE_ENV: 'test' }).validateResponses, true);
    assert.equal(loadGatewayConfig({ ...base(), NODE_ENV: 'production' }).validateResponses, false);
    assert.equal(
      loadGatewayConfig({ ...base(), NODE_ENV: 'production', VALIDATE_RESPONSES: 'true' })
        .validateResponses,
      true,
    );
  });

  it('takes CORS origins as exact origins and refuses anything that would never match', () => {
    assert.deepEqual(loadGatewayConfig(base()).corsOrigins, []);
    assert.deepEqual(
      loadGatewayConfig({
        ...base(),
        CORS_ORIGINS: 'https://app.example.com, http://localhost:5173,https://app.example.com',
      }).corsOrigins,
      ['https://app.example.com', 'http://localhost:5173'],
    );
    for (const wrong of ['*', 'https://app.example.com/', 'app.example.com', 'ftp://files.example'])
      assert.throws(
        () => loadGatewayConfig({ ...base(), CORS_ORIGINS: wrong }),
        (error: Error) => error.message.includes('CORS_ORIGINS'),
        wrong,
      );
  });

  it('remembers enough live DPoP proofs in memory for more than one process serves, or as set', () => {
    // 100,000 refused calls above ~1,700/s, below one gateway's own saturation rate.
    assert.equal(loadGatewayConfig(base()).replayCacheMaxEntries, 500_000);
    assert.equal(
      loadGatewayConfig({ ...base(), DPOP_REPLAY_CACHE_MAX_ENTRIES: '1000' }).replayCacheMaxEntries,
      1000,
    );
    assert.throws(
      () => loadGatewayConfig({ ...base(), DPOP_REPLAY_CACHE_MAX_ENTRIES: '0' }),
      (error: Error) => error.message.includes('DPOP_REPLAY_CACHE_MAX_ENTRIES'),
    );
  });

  it('shares the DPoP replay cache only through a Redis URL, and never prints its password', () => {
    assert.equal(loadGatewayConfig(base()).replayCacheUrl, undefined);
    const shared = 'redis://:s3cret@cache.internal:6379/2';
    assert.equal(
      loadGatewayConfig({ ...base(), DPOP_REPLAY_CACHE_URL: shared }).replayCacheUrl,
      shared,
    );
    for (const wrong of ['https://:s3cret@cache.internal', 'cache.internal:6379', 'redis://'])
      assert.throws(
        () => loadGatewayConfig({ ...base(), DPOP_REPLAY_CACHE_URL: wrong }),
        (error: Error) =>
          error.message.includes('DPOP_REPLAY_CACHE_URL') && !error.message.includes('s3cret'),
        wrong,
      );
  });
});
