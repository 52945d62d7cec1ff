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
});
