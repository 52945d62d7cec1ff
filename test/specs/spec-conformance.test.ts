import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { DEMO_CUSTOMERS, INTERNAL_HEADERS } from '@bund/service-kit';
import { listOperations, loadApiDocuments, loadPermissions } from '@bund/specs';
import type { OperationEntry, SpecParameter } from '@bund/specs';
import { buildBackend } from '../support/backends.js';
import type { TestBackend } from '../support/backends.js';
import { assertDocumented } from '../support/spec-validation.js';

/*
 * Walks every operation of every document in specs/ against the real backend named in its
 * `x-backend`, on freshly seeded data: the documented example must succeed with a body that
 * matches the schema, refusals must be documented problems, and a backend must serve no route
 * the specs leave out.
 */

const documents = await loadApiDocuments({ internal: true });
/*
 * The consent service serves its own APIs (specs/consents.yaml, the internal consent API): they
 * need DPoP-bound tokens from the real provider rather than example calls, carry no consent
 * permissions (the token's scope is their policy), and are checked against their spec by
 * test/consent-service/consent-api.test.ts and consent-feed.test.ts.
 */
const SELF_CHECKED_BACKENDS = new Set(['consent-service']);
const operations = listOperations(documents).filter(
  (entry) => !SELF_CHECKED_BACKENDS.has(entry.operation['x-backend'] ?? ''),
);
const permissions = loadPermissions();
const OPERATIONAL_ROUTES = new Set(['GET /health/live', 'GET /health/ready', 'GET /metrics']);

function exampleOf(parameter: SpecParameter): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const named = Object.values(parameter.examples ?? {})[0];
  if (named) return named.value;
  return parameter.schema?.examples?.[0] ?? parameter.schema?.example;
}

/** The request path with every path parameter replaced by its documented example. */
function examplePath(entry: OperationEntry): string {
  return entry.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = entry.parameters.find((p) => p.in === 'path' && p.name === name);
    const value = parameter && exampleOf(parameter);
    assert.ok(
      value !== undefined,
      `${entry.operation.operationId}: path parameter ${name} has no example`,
    );
    return encodeURIComponent(String(value));
  });
}

function exampleQuery(entry: OperationEntry, all: boolean): Record<string, string> {
  const query: Record<string, string> = {};
  for (const parameter of entry.parameters) {
    if (parameter.in !== 'query' || !(parameter.required || all)) continue;
    const value = exampleOf(parameter);
    if (value === undefined) {
      assert.ok(
        !parameter.required,
        `${entry.operation.operationId}: required query parameter ${parameter.name} has no example`,
      );
      continue;
    }
    query[parameter.name] = String(value);
  }
  return query;
}

function exampleBody(entry: OperationEntry): unknown {
  const media = entry.operation.requestBody?.content['application/json'];
  if (!media) return undefined;
  const value = media.example ?? Object.values(media.examples ?? {})[0]?.value;
  assert.ok(value !== undefined, `${entry.operation.operationId}: request body has no example`);
  return value;
}

function callerHeaders(entry: OperationEntry, backend: TestBackend): Record<string, string> {
  const internal = entry.file.startsWith('internal/');
  const headers: Record<string, string> = {
    [INTERNAL_HEADERS.credential]: internal
      ? backend.credentials.consentService
      : backend.credentials.gateway,
  };
  const login = entry.operation['x-sandbox-customer'];
  if (login) {
    const customer = DEMO_CUSTOMERS.find((c) => c.username === login);
    assert.ok(
      customer,
      `${entry.operation.operationId}: x-sandbox-customer ${login} is not a demo login`,
    );
    headers[INTERNAL_HEADERS.customerId] = customer.id;
  }
  return headers;
}

function send(
  app: Express,
  entry: OperationEntry,
  path: string,
  headers: Record<string, string>,
  query: Record<string, string>,
) {
  let call = request(app)[entry.method](path).query(query).set(headers);
  const body = exampleBody(entry);
  if (body !== undefined) call = call.send(body as object);
  return call;
}

/** Routes an express app serves, as `METHOD /openapi/{path}`, walking routers mounted at '/'. */
function servedRoutes(app: Express): Set<string> {
  const routes = new Set<string>();
  type Layer = {
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  };
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const openapiPath = layer.route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods))
          routes.add(`${method.toUpperCase()} ${openapiPath}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return routes;
}

const backendNames = [
  ...new Set(operations.map((entry) => entry.operation['x-backend'] ?? '(missing x-backend)')),
];

describe('specs/ against the backends that serve them', () => {
  it('finds API documents with operations to check', () => {
    assert.ok(documents.some((d) => d.file === 'accounts.yaml'));
    assert.ok(documents.some((d) => d.file === 'credit-data.yaml'));
    assert.ok(operations.length >= 9);
  });

  it('names, for every operation, an operationId, a backend and permissions from the vocabulary', () => {
    const ids = new Set<string>();
    for (const { file, operation } of operations) {
      assert.match(
        operation.operationId ?? '',
        /^[a-z][A-Za-z0-9]+$/,
        `${file}: operationId missing or not camelCase`,
      );
      assert.ok(!ids.has(operation.operationId), `duplicate operationId ${operation.operationId}`);
      ids.add(operation.operationId);
      assert.ok(operation['x-backend'], `${operation.operationId}: no x-backend`);
      if (!file.startsWith('internal/')) {
        assert.ok(operation['x-permissions']?.length, `${operation.operationId}: no x-permissions`);
        for (const name of operation['x-permissions']!)
          assert.ok(permissions.has(name), `${operation.operationId}: unknown permission ${name}`);
      }
    }
  });

  for (const backendName of backendNames) {
    describe(backendName, () => {
      let backend: TestBackend;
      const entries = operations.filter((entry) => entry.operation['x-backend'] === backendName);

      before(async function () {
        this.timeout(60_000);
        backend = await buildBackend(backendName);
      });
      after(async () => backend?.db.destroy());

      it('serves every documented operation and no undocumented route', () => {
        const documented = new Set(
          entries.map((entry) => `${entry.method.toUpperCase()} ${entry.path}`),
        );
        const served = servedRoutes(backend.app);
        const undocumented = [...served].filter(
          (route) => !documented.has(route) && !OPERATIONAL_ROUTES.has(route),
        );
        const missing = [...documented].filter((route) => !served.has(route));
        assert.deepEqual(undocumented, [], 'routes served but not in specs/');
        assert.deepEqual(missing, [], 'operations in specs/ that the backend does not serve');
      });

      for (const entry of entries) {
        const id = entry.operation.operationId;
        describe(`${entry.method.toUpperCase()} ${entry.path} (${id})`, () => {
          it('answers the documented example with a 2xx body that matches the schema', async () => {
            for (const all of [false, true]) {
              const res = await send(
                backend.app,
                entry,
                examplePath(entry),
                callerHeaders(entry, backend),
                exampleQuery(entry, all),
              );
              assert.ok(
                res.status >= 200 && res.status < 300,
                `${id} answered ${res.status}: ${res.text.slice(0, 300)}`,
              );
              assertDocumented(entry, res);
            }
          });

          it('refuses an unknown query parameter with a documented 400 problem', async () => {
            const res = await send(
              backend.app,
              entry,
              examplePath(entry),
              callerHeaders(entry, backend),
              { conformanceProbe: '1' },
            );
            assert.equal(res.status, 400);
            assert.equal(res.body.code, 'unknown_parameter');
            assertDocumented(entry, res);
          });

          it('refuses a call without the internal credential with a documented 401 problem', async () => {
            const headers = callerHeaders(entry, backend);
            delete headers[INTERNAL_HEADERS.credential];
            const res = await send(
              backend.app,
              entry,
              examplePath(entry),
              headers,
              exampleQuery(entry, false),
            );
            assert.equal(res.status, 401);
            assertDocumented(entry, res);
          });
        });
      }
    });
  }
});
