import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './processes.js';

const SPECS = path.join(repoRoot, 'specs');
/** Documents the gateway routes: operations served by the backends it is configured with. */
const ROUTED = /^\s+x-backend:\s*(mock-bank|data-exchange)\s*$/gm;

/** Operations of `file` (a top-level document of specs/) that the gateway routes. */
function routedIn(file: string): number {
  return readFileSync(path.join(SPECS, file), 'utf8').match(ROUTED)?.length ?? 0;
}

/** How many operations the gateway routes with the real specs/. */
export function routedOperations(): number {
  return topLevelDocuments().reduce((sum, file) => sum + routedIn(file), 0);
}

function topLevelDocuments(): string[] {
  return readdirSync(SPECS).filter(
    (name) => name.endsWith('.yaml') && name !== 'permissions.yaml' && name !== 'redocly.yaml',
  );
}

/**
 * `count` operations in one OpenAPI 3.1 document (JSON is YAML): each with its own path
 * (200 first segments would be a flat list; groups of ten give the trie depth too), its policy
 * (`x-backend`, `x-permissions`, `x-account-param`), a query parameter and a response schema
 * with a property that needs a finer permission, so each gets validators and a filter plan.
 */
function generatedDocument(count: number): string {
  const paths: Record<string, unknown> = {};
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(3, '0');
    paths[`/generated-${Math.ceil(i / 10)}/resource-${n}/{accountId}`] = {
      get: {
        operationId: `benchGenerated${n}`,
        summary: `Generated operation ${n}`,
        'x-backend': 'mock-bank',
        'x-permissions': ['ReadBalances'],
        'x-account-param': 'accountId',
        parameters: [
          {
            name: 'accountId',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^acc-\\d{4}-\\d{2}$' },
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: {
          '200': {
            description: 'A generated answer.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['data'],
                  properties: {
                    data: {
                      type: 'object',
                      required: ['accountId'],
                      properties: {
                        accountId: { type: 'string' },
                        [`detail${n}`]: { type: 'string', 'x-permissions': ['ReadAccountsDetail'] },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
  }
  return JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'Generated operations (gateway benchmark)', version: '1.0.0' },
    paths,
  });
}

/**
 * A copy of specs/ (documents, components, permissions) under `dir` in which the gateway routes
 * exactly `operations` operations: the real documents (all of them, or for a small spec only
 * accounts.yaml, which holds the benchmark's operation) plus generated ones to make up the
 * count. Returns the folder, for the gateway's `SPECS_DIR`.
 */
export function writeSpecVariant(dir: string, operations: number): string {
  mkdirSync(dir, { recursive: true });
  const documents = topLevelDocuments();
  const routed = (files: string[]) => files.reduce((sum, file) => sum + routedIn(file), 0);
  const real = routed(documents) <= operations ? documents : ['accounts.yaml'];
  for (const name of [...real, 'permissions.yaml', 'components', 'internal'])
    cpSync(path.join(SPECS, name), path.join(dir, name), { recursive: true });
  const generated = operations - routed(real);
  if (generated < 0) throw new Error(`accounts.yaml alone routes more than ${operations}`);
  if (generated > 0)
    writeFileSync(path.join(dir, 'zz-generated.yaml'), generatedDocument(generated));
  return dir;
}
