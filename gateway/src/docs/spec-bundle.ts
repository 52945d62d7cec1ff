import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { HTTP_METHODS, specsDir } from '@bund/specs';
import { Scalar, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';

/** One TPP-facing API document, bundled for download and for Swagger UI. */
export interface PortalSpec {
  /** The file name without `.yaml`: `accounts`, `credit-data`, `consents`. */
  name: string;
  title: string;
  version: string;
  summary: string;
  description: string;
  /** Where its calls go: the gateway, or the consent service (its `x-backend`). */
  servedBy: 'gateway' | 'consent-service';
  /** The base URL its `servers` entry now names. */
  serverUrl: string;
  operations: {
    method: string;
    path: string;
    operationId: string;
    summary: string;
    /** Its `x-permissions`: what the consent must grant. */
    permissions: string[];
  }[];
  /** The bundled document as YAML (comments and layout of the source kept) and as JSON. */
  yaml: string;
  json: string;
  /** The bundled document as plain data (for examples the guide quotes). */
  document: PlainDocument;
}

export interface PortalSpecOptions {
  /** The gateway's public URL: the server of every API it proxies. */
  publicUrl: string;
  /** The consent service's issuer: the server of the consent API. */
  consentServiceUrl: string;
  /** The folder of the documents; `@bund/specs`' by default. */
  dir?: string;
}

/** The TPP-facing documents: `*.yaml` directly in the specs folder, as `@bund/specs` loads them. */
function tppFacingFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter(
      (name) => name.endsWith('.yaml') && name !== 'permissions.yaml' && name !== 'redocly.yaml',
    )
    .sort();
}

/** The component section a `$ref` found at `keys` (the keys from the root to its map) points into. */
function sectionOf(keys: readonly string[]): string | undefined {
  if (keys.some((key) => key === 'schema' || key === 'schemas')) return 'schemas';
  const parent = keys.at(-2);
  switch (parent) {
    case 'headers':
    case 'parameters':
    case 'responses':
    case 'examples':
    case 'links':
      return parent;
    default:
      return keys.at(-1) === 'requestBody' ? 'requestBodies' : undefined;
  }
}

const decodePointer = (pointer: string): string[] =>
  pointer
    .replace(/^#?\/?/, '')
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~'));

const encodeSegment = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

interface FoundRef {
  /** The map holding `$ref`. */
  map: YAMLMap;
  ref: Scalar;
  keys: string[];
}

/** Every `$ref` of a node, with the keys leading to it; example values are data, not refs. */
function findRefs(node: unknown, keys: string[], found: FoundRef[]): FoundRef[] {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === '$ref' && isScalar(pair.value) && typeof pair.value.value === 'string') {
        found.push({ map: node, ref: pair.value, keys });
      } else if (key !== 'example' && !(key === 'value' && keys.at(-2) === 'examples')) {
        findRefs(pair.value, [...keys, key], found);
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => findRefs(item, [...keys, String(index)], found));
  }
  return found;
}

/**
 * Makes one document self-contained: every `$ref` into another file (`./components/…`) is
 * replaced. A component entry that is only such a reference gets the referenced content in
 * place; a schema (or header, parameter, response…) referenced elsewhere is copied once into
 * `components` under its own name and referenced there, so Swagger UI still shows `Problem`
 * by name. References inside copied content are bundled the same way. Comments, key order and
 * scalar styles of the source are kept.
 */
function bundleDocument(file: string): Document {
  const documents = new Map<string, Document>();
  const load = (absolute: string): Document => {
    let document = documents.get(absolute);
    if (!document) {
      document = parseDocument(readFileSync(absolute, 'utf8'));
      if (document.errors.length > 0)
        throw new Error(`${absolute}: ${document.errors[0]!.message}`);
      documents.set(absolute, document);
    }
    return document;
  };
  const root = load(path.resolve(file));
  /** Where each external target now lives, by `<file>#<pointer>|<section>`. */
  const placed = new Map<string, string>();

  const targetOf = (ref: string, base: string) => {
    const [location = '', pointer = ''] = ref.split('#');
    const absolute = location ? path.resolve(path.dirname(base), location) : base;
    return { absolute, pointer: decodePointer(pointer) };
  };
  const contentOf = (absolute: string, pointer: string[]): Node => {
    const node = load(absolute).getIn(pointer, true) as Node | undefined;
    if (node === undefined) throw new Error(`unresolvable $ref ${absolute}#/${pointer.join('/')}`);
    return isScalar(node) ? new Scalar(node.value) : (node.clone() as Node);
  };
  /** Rewrites the refs inside content copied from `base` (which may be another file). */
  const bundleContent = (node: Node, base: string) => {
    for (const found of findRefs(node, [], [])) resolve(found, base, false);
  };
  const componentsOf = (section: string): YAMLMap => {
    if (!root.hasIn(['components', section]))
      root.setIn(['components', section], root.createNode({}));
    return root.getIn(['components', section]) as YAMLMap;
  };

  function resolve({ map, ref, keys }: FoundRef, base: string, inRoot: boolean): void {
    const value = String(ref.value);
    // A local ref of the root stays; a local ref of another file points into that file.
    if (value.startsWith('#') && inRoot) return;
    const { absolute, pointer } = targetOf(value, base);
    if (absolute === path.resolve(file) && !inRoot) {
      ref.value = `#/${pointer.map(encodeSegment).join('/')}`;
      return;
    }
    const section = sectionOf(keys);
    const key = `${absolute}#/${pointer.join('/')}|${section ?? ''}`;
    const existing = placed.get(key);
    if (existing) {
      ref.value = existing;
      return;
    }
    const content = contentOf(absolute, pointer);
    if (!section) {
      // Nowhere reusable to put it: the content replaces the reference.
      bundleContent(content, absolute);
      inline(map, content);
      return;
    }
    const components = componentsOf(section);
    const wanted = pointer.at(-1) ?? path.basename(absolute, '.yaml');
    let name = wanted;
    for (let n = 2; components.has(name); n++) name = `${wanted}${n}`;
    const local = `#/components/${section}/${encodeSegment(name)}`;
    // Placed before its own refs are bundled, so a recursive schema refers to itself.
    placed.set(key, local);
    ref.value = local;
    bundleContent(content, absolute);
    components.set(name, content);
  }

  /** Replaces a `{ $ref, …siblings }` map's reference by the content it names; siblings win. */
  function inline(map: YAMLMap, content: Node) {
    if (!isMap(content)) throw new Error('a $ref to a non-object cannot be inlined');
    const siblings = map.items.filter((pair) => !(isScalar(pair.key) && pair.key.value === '$ref'));
    map.items = content.items;
    for (const { key, value } of siblings) map.set(isScalar(key) ? key.value : key, value);
  }

  const refs = findRefs(root.contents, [], []);
  // Component entries that are only a reference first: other references then point at them.
  const isComponentEntry = ({ keys, ref }: FoundRef) =>
    keys.length === 3 && keys[0] === 'components' && !String(ref.value).startsWith('#');
  for (const found of refs.filter(isComponentEntry)) {
    const { absolute, pointer } = targetOf(String(found.ref.value), path.resolve(file));
    const content = contentOf(absolute, pointer);
    bundleContent(content, absolute);
    inline(found.map, content);
    const [, section, name] = found.keys as [string, string, string];
    placed.set(
      `${absolute}#/${pointer.join('/')}|${section}`,
      `#/components/${encodeSegment(section)}/${encodeSegment(name)}`,
    );
  }
  for (const found of refs.filter((found) => !isComponentEntry(found))) {
    resolve(found, path.resolve(file), true);
  }
  return root;
}

/** A bundled document as plain data. */
export interface PlainDocument {
  info?: { title?: string; version?: string; summary?: string; description?: string };
  paths?: Record<string, Record<string, unknown>>;
}

/**
 * The TPP-facing API documents (never `internal/`), each bundled into one self-contained
 * document whose `servers` entry is where a TPP reaches it: the gateway's public URL, or the
 * consent service for the consent API. Private `x-` extensions stay: they are published
 * policy (`x-permissions` tells a TPP which permissions to ask for).
 */
export function loadPortalSpecs(options: PortalSpecOptions): PortalSpec[] {
  const dir = options.dir ?? specsDir;
  const gatewayUrl = options.publicUrl.replace(/\/$/, '');
  const issuer = options.consentServiceUrl.replace(/\/$/, '');
  return tppFacingFiles(dir).map((file) => {
    const name = file.replace(/\.yaml$/, '');
    const document = bundleDocument(path.join(dir, file));
    const plain = document.toJS() as PlainDocument;
    const operations: PortalSpec['operations'] = [];
    const backends = new Set<string>();
    for (const [route, item] of Object.entries(plain.paths ?? {})) {
      for (const method of HTTP_METHODS) {
        const operation = item[method] as
          | {
              operationId?: string;
              summary?: string;
              'x-backend'?: string;
              'x-permissions'?: string[];
            }
          | undefined;
        if (!operation) continue;
        if (operation['x-backend']) backends.add(operation['x-backend']);
        operations.push({
          method,
          path: route,
          operationId: operation.operationId ?? '',
          summary: operation.summary ?? '',
          permissions: operation['x-permissions'] ?? [],
        });
      }
    }
    const servedBy =
      backends.size === 1 && backends.has('consent-service') ? 'consent-service' : 'gateway';
    const serverUrl = servedBy === 'gateway' ? gatewayUrl : issuer;
    document.set(
      'servers',
      document.createNode([
        servedBy === 'gateway'
          ? { url: serverUrl, description: 'The Bund gateway: every TPP call goes through it.' }
          : {
              url: serverUrl,
              description:
                'The Bund consent service, at its issuer identifier (DPoP proofs name this URL).',
            },
      ]),
    );
    document.commentBefore =
      ` ${plain.info?.title ?? name}, self-contained: the shared components are copied in.\n` +
      ` Downloaded from the Bund developer portal at ${gatewayUrl}/docs`;
    const bundled = document.toJS() as PlainDocument;
    return {
      name,
      title: plain.info?.title ?? name,
      version: plain.info?.version ?? '',
      summary: plain.info?.summary ?? '',
      description: plain.info?.description ?? '',
      servedBy,
      serverUrl,
      operations,
      yaml: document.toString({ lineWidth: 0, flowCollectionPadding: false }),
      json: `${JSON.stringify(bundled, null, 2)}\n`,
      document: bundled,
    };
  });
}
