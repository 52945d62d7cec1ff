import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dereference } from '@apidevtools/json-schema-ref-parser';
import { parse } from 'yaml';

/**
 * The folder holding the API documents: this package's, unless `SPECS_DIR` names another
 * folder of the same layout (the gateway benchmark points the gateway at generated specs).
 */
export const specsDir = process.env.SPECS_DIR
  ? path.resolve(process.env.SPECS_DIR)
  : fileURLToPath(new URL('../', import.meta.url));

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The parts of an OpenAPI operation Bund reads, with its extensions. */
export interface SpecOperation {
  operationId: string;
  summary?: string;
  parameters?: SpecParameter[];
  requestBody?: {
    required?: boolean;
    content: Record<
      string,
      { schema?: object; example?: unknown; examples?: Record<string, { value: unknown }> }
    >;
  };
  responses: Record<
    string,
    { description?: string; content?: Record<string, { schema?: object }> }
  >;
  'x-backend'?: string;
  'x-permissions'?: string[];
  'x-account-param'?: string;
  'x-enterprise-param'?: string;
  'x-sandbox-customer'?: string;
  [extension: `x-${string}`]: unknown;
}

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: { examples?: unknown[]; example?: unknown; [key: string]: unknown };
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}

/** An API document with every `$ref` resolved. */
export interface ApiDocument {
  /** File name relative to specs/, e.g. `accounts.yaml` or `internal/mock-bank.yaml`. */
  file: string;
  /** True for service-to-service APIs that third parties never reach. */
  internal: boolean;
  document: {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<
      string,
      Partial<Record<HttpMethod, SpecOperation>> & { parameters?: SpecParameter[] }
    >;
  };
}

/** One operation of a document, with its path and method. */
export interface OperationEntry {
  file: string;
  path: string;
  method: HttpMethod;
  operation: SpecOperation;
  /** Path-level parameters followed by the operation's own. */
  parameters: SpecParameter[];
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter(
      (name) => name.endsWith('.yaml') && name !== 'permissions.yaml' && name !== 'redocly.yaml',
    )
    .sort();
}

/**
 * Loads and dereferences the API documents: the TPP-facing ones, and with `internal` also the
 * service-to-service ones under `internal/`.
 */
export async function loadApiDocuments(
  options: { internal?: boolean } = {},
): Promise<ApiDocument[]> {
  const files = yamlFiles(specsDir).map((file) => ({ file, internal: false }));
  if (options.internal) {
    files.push(
      ...yamlFiles(path.join(specsDir, 'internal')).map((file) => ({
        file: `internal/${file}`,
        internal: true,
      })),
    );
  }
  return Promise.all(
    files.map(async ({ file, internal }) => ({
      file,
      internal,
      document: (await dereference(path.join(specsDir, file))) as ApiDocument['document'],
    })),
  );
}

/** Every operation of the given documents. */
export function listOperations(documents: readonly ApiDocument[]): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const { file, document } of documents) {
    for (const [route, item] of Object.entries(document.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        entries.push({
          file,
          path: route,
          method,
          operation,
          parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])],
        });
      }
    }
  }
  return entries;
}

/** A consent type and the permissions that belong to it. */
export type ConsentType = 'account_information' | 'credit_data_sharing';

/** One permission's meaning: what it implies and its plain-language text. */
export interface PermissionDefinition {
  name: string;
  consentType: ConsentType;
  implies: string[];
  text: { en: string; zh: string };
}

/** The permission vocabulary from `permissions.yaml`, by name. */
export function loadPermissions(): ReadonlyMap<string, PermissionDefinition> {
  const raw = parse(readFileSync(path.join(specsDir, 'permissions.yaml'), 'utf8')) as Record<
    ConsentType,
    Record<string, { implies?: string[]; en: string; zh: string }>
  >;
  const permissions = new Map<string, PermissionDefinition>();
  for (const [consentType, entries] of Object.entries(raw) as [
    ConsentType,
    (typeof raw)[ConsentType],
  ][]) {
    for (const [name, entry] of Object.entries(entries)) {
      permissions.set(name, {
        name,
        consentType,
        implies: entry.implies ?? [],
        text: { en: entry.en, zh: entry.zh },
      });
    }
  }
  return permissions;
}
