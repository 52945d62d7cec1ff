import type { ApiDocument, HttpMethod, OperationEntry, SpecOperation } from '@bund/specs';

/** One TPP-facing operation, with the policy its spec declares. */
export interface Route {
  operationId: string;
  method: Uppercase<HttpMethod>;
  /** The OpenAPI path template, e.g. `/accounts/{accountId}`. */
  template: string;
  backend: string;
  permissions: string[];
  accountParam?: string;
  enterpriseParam?: string;
  operation: SpecOperation;
  document: ApiDocument;
  entry: OperationEntry;
}

export type RouteMatch =
  | { route: Route; params: Record<string, string> }
  | { route?: undefined; status: 404 }
  | { route?: undefined; status: 405; allowed: string[] };

interface Node {
  literal: Map<string, Node>;
  param?: { name: string; node: Node };
  routes: Map<string, Route>;
}

const newNode = (): Node => ({ literal: new Map(), routes: new Map() });

/**
 * Every operation of the specs in a segment trie, built once at start: matching a request
 * costs one map lookup per path segment, whatever the number of operations.
 */
export class RouteTable {
  private readonly root = newNode();
  readonly routes: Route[] = [];

  constructor(entries: readonly { entry: OperationEntry; document: ApiDocument }[]) {
    for (const { entry, document } of entries) {
      const { operation } = entry;
      const backend = operation['x-backend'];
      if (!backend) throw new Error(`${operation.operationId}: no x-backend in ${entry.file}`);
      const route: Route = {
        operationId: operation.operationId,
        method: entry.method.toUpperCase() as Route['method'],
        template: entry.path,
        backend,
        permissions: operation['x-permissions'] ?? [],
        ...(operation['x-account-param'] ? { accountParam: operation['x-account-param'] } : {}),
        ...(operation['x-enterprise-param']
          ? { enterpriseParam: operation['x-enterprise-param'] }
          : {}),
        operation,
        document,
        entry,
      };
      let node = this.root;
      for (const segment of entry.path.split('/').slice(1)) {
        const param = /^\{(.+)\}$/.exec(segment)?.[1];
        if (param) {
          node.param ??= { name: param, node: newNode() };
          if (node.param.name !== param)
            throw new Error(`${entry.path}: conflicting parameter names at one position`);
          node = node.param.node;
        } else {
          let next = node.literal.get(segment);
          if (!next) node.literal.set(segment, (next = newNode()));
          node = next;
        }
      }
      if (node.routes.has(route.method))
        throw new Error(`${route.method} ${entry.path} is defined twice`);
      node.routes.set(route.method, route);
      this.routes.push(route);
    }
  }

  /**
   * The route for `method path`: 404 when no operation has the path, 405 (with the allowed
   * methods) when it has, but not with this method; HEAD takes a GET operation. Literal
   * segments win over parameters.
   */
  match(method: string, path: string): RouteMatch {
    const segments = path.split('/').slice(1);
    const params: Record<string, string> = {};
    let node: Node | undefined = this.root;
    for (const raw of segments) {
      const literal: Node | undefined = node.literal.get(raw);
      if (literal) {
        node = literal;
        continue;
      }
      if (!node.param || raw === '') return { status: 404 };
      params[node.param.name] = raw;
      node = node.param.node;
    }
    if (node.routes.size === 0) return { status: 404 };
    const verb = method.toUpperCase();
    // HEAD is GET without the body (RFC 9110 §9.3.2): the same operation, checks and answer
    // head; Node leaves the body out.
    const route = node.routes.get(verb) ?? (verb === 'HEAD' ? node.routes.get('GET') : undefined);
    if (!route) {
      const allowed = [...node.routes.keys()];
      return { status: 405, allowed: allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed };
    }
    // Decoded only after matching, so an encoded slash stays inside its segment.
    for (const [name, value] of Object.entries(params)) {
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        return { status: 404 };
      }
    }
    return { route, params };
  }
}
