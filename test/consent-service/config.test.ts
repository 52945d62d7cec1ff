import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConsentServiceConfig } from '@bund/consent-service/config';

describe('consent service configuration', () => {
  const base = () => ({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bund-consent-config-')) });

  it('takes TRUST_PROXY as a hop count or as addresses, CIDRs and named ranges', () => {
    assert.equal(loadConsentServiceConfig(base()).trustProxy, undefined);
    assert.equal(loadConsentServiceConfig({ ...base(), TRUST_PROXY: '1' }).trustProxy, 1);
    const list = 'loopback, 10.0.0.0/8, 2001:db8::1';
    assert.equal(loadConsentServiceConfig({ ...base(), TRUST_PROXY: list }).trustProxy, list);
  });

  it('stops at start, naming TRUST_PROXY, on a value Express would not understand', () => {
    for (const wrong of ['true', 'proxy.internal', '10.0.0.0/99', 'loopbak'])
      assert.throws(
        () => loadConsentServiceConfig({ ...base(), TRUST_PROXY: wrong }),
        (error: Error) => error.message.includes('TRUST_PROXY'),
        wrong,
      );
  });

  it('keeps data-access records 184 days unless DATA_ACCESS_RETENTION_DAYS says otherwise', () => {
    assert.equal(loadConsentServiceConfig(base()).dataAccessRetentionDays, 184);
    const set = loadConsentServiceConfig({ ...base(), DATA_ACCESS_RETENTION_DAYS: '400' });
    assert.equal(set.dataAccessRetentionDays, 400);
    for (const wrong of ['0', '-5', 'half a year', '1.5'])
      assert.throws(
        () => loadConsentServiceConfig({ ...base(), DATA_ACCESS_RETENTION_DAYS: wrong }),
        (error: Error) => error.message.includes('DATA_ACCESS_RETENTION_DAYS'),
        wrong,
      );
  });
});
