import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dereference } from '@apidevtools/json-schema-ref-parser';
import express from 'express';
import request from 'supertest';
import { parse } from 'yaml';
import { listOperations, loadApiDocuments, specsDir } from '@bund/specs';
import type { ApiDocument } from '@bund/specs';
import { developerPortal } from '@bund/gateway/docs/developer-portal';
import { ERROR_GUIDE } from '@bund/gateway/docs/error-guide';
import type { BundStack } from '../support/bund-stack.js';
import { assertProblem, send, sharedStack } from './harness.js';

type OpenApi = {
  openapi: string;
  info: { title: string; version: string };
  servers?: { url: string }[];
  paths: Record<string, Record<string, { operationId?: string }>>;
};

/** Every `$ref` value anywhere in a document. */
function refsOf(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsOf(item, refs));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') refs.push(item);
      else refsOf(item, refs);
    }
  }
  return refs;
}

const nameOf = (document: ApiDocument) => document.file.replace(/\.yaml$/, '');
const operationIds = (document: ApiDocument) =>
  listOperations([document])
    .map((entry) => entry.operation.operationId)
    .sort();

/** The problem codes the specs publish (`components/problem.yaml`). */
const publishedCodes = (
  parse(readFileSync(path.join(specsDir, 'components/problem.yaml'), 'utf8')) as {
    Problem: { properties: { code: { enum: string[] } } };
  }
).Problem.properties.code.enum;

/** The sum of every sample of a metric. */
async function total(gateway: string, metric: string): Promise<number> {
  const text = await (await fetch(`${gateway}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('The developer portal at /docs', () => {
  let stack: BundStack;
  let gateway: string;
  let tppFacing: ApiDocument[];
  let internal: ApiDocument[];

  before(async function () {
    this.timeout(60_000);
    stack = await sharedStack();
    gateway = stack.gatewaySlot.url;
    const all = await loadApiDocuments({ internal: true });
    tppFacing = all.filter((d) => !d.internal);
    internal = all.filter((d) => d.internal);
    assert.ok(tppFacing.length >= 3 && internal.length >= 1);
  });

  it('lists every TPP-facing API with its reference and downloads, and no internal one', async () => {
    const response = await fetch(`${gateway}/docs`);
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/html; charset=utf-8/);
    for (const document of tppFacing) {
      const name = nameOf(document);
      assert.ok(html.includes(`href="/docs/api/${name}"`), `reference link of ${name}`);
      assert.ok(html.includes(`href="/docs/specs/${name}.yaml"`), `YAML link of ${name}`);
      assert.ok(html.includes(`href="/docs/specs/${name}.json"`), `JSON link of ${name}`);
      assert.ok(html.includes(document.document.info.title), `title of ${name}`);
    }
    for (const document of internal) {
      const base = path.basename(document.file, '.yaml');
      assert.ok(!html.includes(`/docs/specs/${base}.`), document.file);
      assert.ok(!html.includes(`/docs/api/${base}"`), document.file);
      assert.ok(!html.includes(document.document.info.title), document.document.info.title);
    }
    assert.ok(!html.includes('/docs/specs/internal'));
    assert.ok(html.includes('href="/docs/getting-started"'));
    // The trailing-slash form is the same page.
    assert.equal((await fetch(`${gateway}/docs/`)).status, 200);
  });

  it('serves each TPP-facing spec as self-contained OpenAPI 3.1, the same document as YAML and JSON', async () => {
    for (const document of tppFacing) {
      const name = nameOf(document);
      const yamlResponse = await fetch(`${gateway}/docs/specs/${name}.yaml`);
      const jsonResponse = await fetch(`${gateway}/docs/specs/${name}.json`);
      assert.equal(yamlResponse.status, 200, name);
      assert.equal(jsonResponse.status, 200, name);
      assert.match(yamlResponse.headers.get('content-type')!, /^application\/yaml\b/);
      assert.match(jsonResponse.headers.get('content-type')!, /^application\/json\b/);
      assert.equal(
        yamlResponse.headers.get('content-disposition'),
        `attachment; filename="bund-${name}.yaml"`,
      );
      assert.equal(
        jsonResponse.headers.get('content-disposition'),
        `attachment; filename="bund-${name}.json"`,
      );
      assert.equal(yamlResponse.headers.get('x-content-type-options'), 'nosniff');

      const fromYaml = parse(await yamlResponse.text()) as OpenApi;
      const fromJson = JSON.parse(await jsonResponse.text()) as OpenApi;
      assert.deepEqual(fromYaml, fromJson, `${name}: YAML and JSON describe the same document`);

      assert.match(fromJson.openapi, /^3\.1\.\d+$/);
      assert.equal(fromJson.info.title, document.document.info.title);
      const foreign = refsOf(fromJson).filter((ref) => !ref.startsWith('#/'));
      assert.deepEqual(foreign, [], `${name}: every $ref points inside the document`);

      const backends = listOperations([document]).map((entry) => entry.operation['x-backend']);
      const server = backends.every((backend) => backend === 'consent-service')
        ? stack.consent.url
        : gateway;
      assert.deepEqual(
        fromJson.servers?.map((s) => s.url),
        [server],
        `${name}: servers name where a TPP calls it`,
      );

      // Resolved, it is exactly what the gateway routes and validates by.
      const resolved = (await dereference(structuredClone(fromJson))) as OpenApi;
      assert.deepEqual(
        listOperations([{ ...document, document: resolved as ApiDocument['document'] }])
          .map((entry) => entry.operation.operationId)
          .sort(),
        operationIds(document),
      );
      assert.deepEqual(resolved.paths, document.document.paths, `${name}: the same operations`);
    }
  });

  it('keeps the published policy extensions in the downloads', async () => {
    const accounts = (await (await fetch(`${gateway}/docs/specs/accounts.json`)).json()) as OpenApi;
    const list = accounts.paths['/accounts']!.get as { 'x-permissions'?: string[] };
    assert.deepEqual(list['x-permissions'], ['ReadAccountsBasic']);
  });

  it('does not serve internal specs or unknown names', async () => {
    for (const document of internal) {
      const base = path.basename(document.file, '.yaml');
      for (const target of [
        `/docs/specs/${base}.yaml`,
        `/docs/specs/${base}.json`,
        `/docs/specs/internal/${base}.yaml`,
        `/docs/specs/internal%2F${base}.yaml`,
        `/docs/specs/..%2Finternal%2F${base}.yaml`,
        `/docs/api/${base}`,
      ]) {
        assertProblem(await send(stack, target), 404, 'not_found');
      }
    }
    for (const target of [
      '/docs/api/nope',
      '/docs/specs/nope.yaml',
      '/docs/specs/accounts.xml',
      '/docs/specs/permissions.yaml',
      '/docs/specs/components%2Fproblem.yaml',
      '/docs/nope',
      '/docs/assets/nope.js',
      '/docs/assets/swagger-ui/index.html',
      '/docs/assets/swagger-ui/swagger-initializer.js',
      '/docs/assets/swagger-ui/..%2Fpackage.json',
    ]) {
      assertProblem(await send(stack, target), 404, 'not_found');
    }
  });

  it('renders each API reference with Swagger UI from this origin only, read-only', async () => {
    for (const document of tppFacing) {
      const name = nameOf(document);
      const response = await fetch(`${gateway}/docs/api/${name}`);
      const html = await response.text();
      assert.equal(response.status, 200, name);
      assert.match(html, new RegExp(`data-spec-url="/docs/specs/${name}\\.json"`));
      // No inline script: every script is a same-origin file.
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      assert.ok(scripts.length >= 2, 'the Swagger UI bundle and the initializer');
      for (const [, attributes, content] of scripts) {
        assert.match(attributes!, /src="\/docs\/assets\//);
        assert.equal(content!.trim(), '');
      }
      assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
      const assets = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)]
        .map((m) => m[1]!)
        .filter((url) => !url.startsWith('/docs/api/') && url !== '/docs');
      for (const asset of assets.filter((url) => /\.(js|css|svg)$/.test(url))) {
        assert.ok(asset.startsWith('/docs/assets/'), `${asset} is served by the gateway`);
        const served = await fetch(`${gateway}${asset}`);
        assert.equal(served.status, 200, asset);
        const type = served.headers.get('content-type')!;
        if (asset.endsWith('.js')) assert.match(type, /^(application|text)\/javascript\b/, asset);
        if (asset.endsWith('.css')) assert.match(type, /^text\/css\b/, asset);
        assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
        await served.arrayBuffer();
      }
      assert.ok(assets.some((a) => a.endsWith('/swagger-ui-bundle.js')));
      assert.ok(assets.some((a) => a.endsWith('/swagger-ui.css')));
    }
    const init = await (await fetch(`${gateway}/docs/assets/swagger-init.js`)).text();
    assert.match(init, /tryItOutEnabled: false/);
    assert.match(init, /supportedSubmitMethods: \[\]/);
    assert.match(init, /deepLinking: true/);
    assert.match(init, /validatorUrl: null/);
  });

  it('documents every error code, in the guide and where problem bodies link', async () => {
    assert.deepEqual(Object.keys(ERROR_GUIDE).sort(), [...publishedCodes].sort());
    const guide = await (await fetch(`${gateway}/docs/getting-started`)).text();
    const errors = await (await fetch(`${gateway}/docs/errors`)).text();
    for (const code of publishedCodes) {
      assert.ok(guide.includes(`<code>${code}</code>`), `the guide lists ${code}`);
      // A problem's `type` is /docs/errors#<code>: the anchor must exist.
      assert.ok(errors.includes(`id="${code}"`), `/docs/errors#${code}`);
    }
    assert.match(guide, /invalid_grant/);
    // The OAuth errors are what the consent service really answers.
    assert.ok(!guide.includes('invalid_redirect_uri'), 'the PAR endpoint remaps it');
    assert.ok(guide.includes('redirect_uri did not match any of the client'));
    assert.ok(guide.includes('carries no DPoP proof'), 'a code redeemed without DPoP');
    assert.ok(guide.includes('grant request is invalid'));
  });

  it('writes the guide for this deployment: its URLs and the real field and permission names', async () => {
    const guide = await (await fetch(`${gateway}/docs/getting-started`)).text();
    assert.ok(guide.includes(`${stack.consent.url}/request`), 'the PAR endpoint');
    assert.ok(guide.includes(`${stack.consent.url}/token`), 'the token endpoint');
    assert.ok(guide.includes(`GET ${gateway}/accounts/`), 'a call to the gateway');
    for (const word of [
      'authorization_details',
      'code_challenge_method=S256',
      'ReadTransactionsDetail',
      'ReadEnterpriseProfile',
      'credit_data_sharing',
      '&quot;ath&quot;',
      'x-fapi-interaction-id',
      'bund-demo-tpp',
      'bund-demo-2026',
      'npm run demo-tpp',
    ]) {
      assert.ok(guide.includes(word), word);
    }
  });

  it('gives a quickstart for a fresh project that defines all it uses, for the sandbox', async () => {
    const guide = await (await fetch(`${gateway}/docs/getting-started`)).text();
    for (const word of [
      // An ES module in a CommonJS `npm init -y` project.
      '<code>.mjs</code>',
      '<code>"type": "module"</code>',
      // The sandbox's registered client, redirect URI and generated private JWK.
      'http://localhost:8765/callback',
      'DATA_DIR/secrets/bund-demo-tpp.private.jwk.json',
      // How to get a private JWK from your own key.
      'acme-signing.private.jwk.json',
      // links.next is relative: resolved against the gateway.
      'new URL(links.next, gatewayUrl)',
      `<code>${gateway}</code>`,
      'The <code>DPoP</code> header is required here',
    ]) {
      assert.ok(guide.includes(word), word);
    }
    const code = /<section id="code">[\s\S]*?<\/section>/.exec(guide)![0];
    assert.ok(code.includes('bund-demo-tpp'), 'the demo client, not an unregistered one');
    assert.ok(!code.includes('acme-budget') && !code.includes('app.acme.example'));
    for (const name of ['accountInformation', 'callbackRequestUrl', 'gatewayUrl', 'signingJwk'])
      assert.ok(code.includes(`const ${name} =`), `the quickstart defines ${name}`);
    // Real consent ids are UUIDs.
    assert.match(guide, /consent_id&quot;: &quot;[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}&quot;/);
  });

  it('sends security and caching headers on every page, with no inline script allowed', async () => {
    for (const page of [
      '/docs',
      '/docs/getting-started',
      '/docs/errors',
      '/docs/api/accounts',
      '/docs/api/consents',
    ]) {
      const response = await fetch(`${gateway}${page}`);
      assert.equal(response.status, 200, page);
      const csp = response.headers.get('content-security-policy');
      assert.ok(csp, `${page} has a CSP`);
      assert.match(csp, /default-src 'self'/);
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)![1]!;
      assert.doesNotMatch(scriptSrc, /'unsafe-inline'|'unsafe-eval'/, page);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('x-powered-by'), null);
      assert.match(response.headers.get('cache-control')!, /^public, max-age=\d+$/);
      const html = await response.text();
      assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, `${page}: no inline script`);
      assert.doesNotMatch(html, /<style|\sstyle=/, `${page}: no inline style`);
    }
  });

  it('stays out of the TPP pipeline: no token needed, not counted as API calls, API 404/405 unchanged', async () => {
    const before = await total(stack.opsSlot.url, 'bund_gateway_requests_total');
    for (const page of ['/docs', '/docs/getting-started', '/docs/specs/accounts.yaml', '/docs/x'])
      await (await fetch(`${gateway}${page}`)).arrayBuffer();
    assert.equal(await total(stack.opsSlot.url, 'bund_gateway_requests_total'), before);

    const unknown = await send(stack, '/nope');
    assertProblem(unknown, 404, 'not_found', { detail: /No API operation at GET \/nope/ });
    const wrongMethod = await send(stack, '/accounts', { method: 'POST' });
    assertProblem(wrongMethod, 405, 'method_not_allowed');
    assert.equal(wrongMethod.headers.allow, 'GET, HEAD');
    assertProblem(await send(stack, '/accounts'), 401, 'invalid_token');

    const postDocs = await send(stack, '/docs', { method: 'POST' });
    assertProblem(postDocs, 405, 'method_not_allowed');
    assert.equal(postDocs.headers.allow, 'GET, HEAD');
    const head = await fetch(`${gateway}/docs/specs/accounts.json`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  it('escapes whatever it interpolates, configuration included', async () => {
    const app = express();
    app.use(
      developerPortal({
        publicUrl: 'https://gw.example/"><script>alert(1)</script>',
        consentServiceUrl: "https://as.example/'<img src=x onerror=alert(2)>",
      }),
    );
    for (const page of ['/docs', '/docs/getting-started', '/docs/errors', '/docs/api/accounts']) {
      const response = await request(app).get(page).expect(200);
      assert.doesNotMatch(response.text, /<script>alert|<img src=x/, page);
      assert.match(response.text, /&lt;script&gt;alert\(1\)|&lt;img src=x/, page);
    }
  });
});
