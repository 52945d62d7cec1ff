import assert from 'node:assert/strict';
import { pathWithoutLang } from '@bund/consent-service/web/page-context';

describe('The language switch of a customer page', () => {
  it('links to the same page without lang, keeping the rest of the query', () => {
    assert.equal(pathWithoutLang('/dashboard?lang=zh&older=1-2'), '/dashboard?older=1-2');
    assert.equal(pathWithoutLang('/dashboard/consents/c-1?lang=en'), '/dashboard/consents/c-1');
  });

  it('never links to another host, whatever path the request had', () => {
    for (const path of ['//evil.example/x', '/.//evil.example', '/a/..//evil.example', '///x']) {
      const link = pathWithoutLang(path);
      assert.match(link, /^\/(?!\/)/, `${path} gave ${link}`);
    }
  });
});
