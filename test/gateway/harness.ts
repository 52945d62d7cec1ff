import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders, RequestListener } from 'node:http';
import { decodeJwt } from 'jose';
import { INTERNAL_HEADERS } from '@bund/service-kit';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import { BundStack } from '../support/bund-stack.js';
import type { Slot, StackTpp } from '../support/bund-stack.js';
import type { Journey } from '../support/authorize.js';
import { dpopKeys, dpopProof } from '../support/dpop-proof.js';
import type { DpopKeys } from '../support/dpop-proof.js';

let shared: Promise<BundStack> | undefined;

/**
 * One default stack for the gateway suites that leave it as they found it (a stack takes
 * seconds to seed). Stopped by a root hook once every suite has run.
 */
export function sharedStack(): Promise<BundStack> {
  shared ??= BundStack.start();
  return shared;
}
after(async () => {
  if (shared) await (await shared).stop();
});

/** A TPP whose DPoP key the test holds, so it can make (and break) proofs by hand. */
export interface KeyedTpp extends StackTpp {
  keys: DpopKeys;
}

/** One of the stack's TPPs, with a DPoP key pair of the test's own. */
export async function keyedTpp(stack: BundStack, which: 'a' | 'b' = 'a'): Promise<KeyedTpp> {
  const base = stack.tpps[which];
  const keys = await dpopKeys();
  const client = await createTppClient({
    issuer: stack.consent.url,
    clientId: base.clientId,
    privateJwk: base.privateJwk,
    dpopKeyPair: { privateKey: keys.privateKey, publicKey: keys.publicKey },
  });
  return { ...base, client, keys };
}

/** A granted consent as the TPP holds it: the DPoP-bound access token and its consent id. */
export interface Grant {
  tpp: KeyedTpp;
  accessToken: string;
  consentId: string;
  idToken?: string;
}

/** Runs the customer's real journey and redeems the code. */
export async function grant(
  stack: BundStack,
  tpp: KeyedTpp,
  details: unknown[],
  journey: Journey = {},
): Promise<Grant> {
  // Each consent type has its resource scope; a credit consent pushed with `accounts` fails.
  const credit = (details as { type?: string }[]).some((d) => d.type === 'credit_data_sharing');
  const client: KeyedTpp['client'] = {
    ...tpp.client,
    pushAuthorizationRequest: (request) =>
      tpp.client.pushAuthorizationRequest({
        scope: credit ? 'openid credit_data' : 'openid accounts',
        ...request,
      }),
  };
  const tokens = await stack.tokensFor({ ...tpp, client }, details, journey);
  return {
    tpp,
    accessToken: tokens.access_token,
    consentId: String(decodeJwt(tokens.access_token).consent_id),
    ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
  };
}

/** A response read whole. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: Record<string, unknown> & { data?: unknown };
}

export interface SendOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /**
   * `Authorization: DPoP <token>` and a fresh proof for exactly this call; `proof` replaces the
   * proof (a string), drops it (false) or adds claims to it (an object).
   */
  as?: Grant;
  proof?: string | false | Record<string, unknown>;
}

/**
 * One request to the gateway over a bare socket: the path goes out exactly as written (no URL
 * normalisation, so `..`, `%2e%2e` and absolute targets reach the gateway as a client sent them).
 */
export async function send(
  stack: BundStack,
  path: string,
  options: SendOptions = {},
): Promise<RawResponse> {
  const method = options.method ?? 'GET';
  const headers: OutgoingHttpHeaders = {};
  if (options.as) {
    headers.authorization = `DPoP ${options.as.accessToken}`;
    const htu = `${stack.gatewaySlot.url}${path.split('?')[0]}`;
    const proof =
      typeof options.proof === 'string'
        ? options.proof
        : options.proof === false
          ? undefined
          : await dpopProof(
              options.as.tpp.keys,
              method,
              htu,
              options.as.accessToken,
              options.proof ?? {},
            );
    if (proof) headers.dpop = proof;
  }
  // Node frames a GET's body only when told its length; unframed bytes would read as a second request.
  if (options.body !== undefined) headers['content-length'] = Buffer.byteLength(options.body);
  Object.assign(headers, options.headers);
  const { port } = new URL(stack.gatewaySlot.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: Number(port), method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: RawResponse['body'];
          try {
            body = JSON.parse(text) as RawResponse['body'];
          } catch {
            body = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Counts the calls the gateway makes to one backend (those carrying its credential; health
 * probes left out). The count sits in front of the slot's handler, so a test can swap what
 * serves the backend (down, slow, broken) with {@link serve} and still count.
 */
export class BackendHits {
  readonly calls: { method: string; url: string; host: string; interactionId?: string }[] = [];
  readonly original: RequestListener;
  private serving: RequestListener;

  constructor(slot: Slot, credential: string) {
    this.original = this.serving = slot.handler.current;
    slot.handler.current = (req, res) => {
      const fromGateway = req.headers[INTERNAL_HEADERS.credential] === credential;
      if (fromGateway && !req.url?.startsWith('/health/') && req.url !== '/metrics')
        this.calls.push({
          method: req.method!,
          url: req.url!,
          host: req.headers.host ?? '',
          interactionId: req.headers['x-fapi-interaction-id'] as string | undefined,
        });
      this.serving(req, res);
    };
  }

  get count(): number {
    return this.calls.length;
  }

  /** Serves the backend's calls with `handler` from now on; no argument puts the backend back. */
  serve(handler: RequestListener = this.original): void {
    this.serving = handler;
  }
}

const counters = new WeakMap<BundStack, Backends>();

/** The counters of a stack's backends (one pair per stack, however many suites ask). */
export function backendsOf(stack: BundStack): Backends {
  let backends = counters.get(stack);
  if (!backends) counters.set(stack, (backends = new Backends(stack)));
  return backends;
}

/** Counts the calls reaching both backends. */
export class Backends {
  readonly bank: BackendHits;
  readonly exchange: BackendHits;

  constructor(stack: BundStack) {
    this.bank = new BackendHits(stack.bank, stack.credentials.gateway);
    this.exchange = new BackendHits(stack.exchange, stack.credentials.gateway);
  }

  get count(): number {
    return this.bank.count + this.exchange.count;
  }

  /** Runs `call` and asserts that it reached no backend. */
  async untouched<T>(call: () => Promise<T>): Promise<T> {
    const before = this.count;
    const result = await call();
    assert.equal(this.count - before, 0, 'a refused call reached a backend');
    return result;
  }
}

/**
 * Asserts a whole problem answer: status, problem+json, the stable code, the interaction id in
 * the header and the body (the same one), and, when given, the `WWW-Authenticate` challenge.
 */
export function assertProblem(
  response: RawResponse,
  status: number,
  code: string,
  expect: { wwwAuthenticate?: RegExp | string; detail?: RegExp } = {},
): void {
  const context = `${response.status} ${response.text}`;
  assert.equal(response.status, status, context);
  assert.match(
    String(response.headers['content-type']),
    /^application\/problem\+json\b/,
    `content type of ${context}`,
  );
  assert.equal(response.body.code, code, context);
  assert.equal(response.body.status, status, context);
  assert.equal(typeof response.body.detail, 'string');
  const interactionId = response.headers['x-fapi-interaction-id'];
  assert.match(String(interactionId), /^[0-9a-f-]{36}$/);
  assert.equal(response.body.interactionId, interactionId);
  assert.equal(response.headers['cache-control'], 'no-store');
  if (expect.wwwAuthenticate instanceof RegExp)
    assert.match(String(response.headers['www-authenticate']), expect.wwwAuthenticate);
  else if (expect.wwwAuthenticate !== undefined)
    assert.equal(response.headers['www-authenticate'], expect.wwwAuthenticate);
  if (expect.detail) assert.match(String(response.body.detail), expect.detail);
}

/** Asserts a successful JSON answer and returns its `data`. */
export function assertOk<T = unknown>(response: RawResponse): T {
  assert.equal(response.status, 200, response.text);
  assert.match(String(response.headers['content-type']), /^application\/json\b/);
  assert.match(String(response.headers['x-fapi-interaction-id']), /^[0-9a-f-]{36}$/);
  return response.body.data as T;
}

/** The problem body without what differs on every call. */
export function stableProblem(response: RawResponse): Record<string, unknown> {
  const rest = { ...response.body };
  delete rest.interactionId;
  return rest;
}

export { setTimeout as sleep } from 'node:timers/promises';
