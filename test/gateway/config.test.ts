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
});
