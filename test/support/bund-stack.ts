import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JWK } from 'jose';
import * as oidc from 'openid-client';
import { buildMockBank } from '@bund/mock-bank/build';
import { buildDataExchange } from '@bund/data-exchange/build';
import { buildConsentService } from '@bund/consent-service/build';
import type {
  BuildOptions as ConsentServiceOptions,
  ConsentService,
} from '@bund/consent-service/build';
import { createBankClient } from '@bund/consent-service/bank/bank-client';
import type { Clients } from '@bund/consent-service/oidc/clients';
import { loadOrCreateSigningKeys } from '@bund/consent-service/oidc/signing-keys';
import type { KeyFile } from '@bund/consent-service/oidc/signing-keys';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import type { TppClient } from '@bund/consent-service/demo/tpp-client';
import { buildGateway } from '@bund/gateway/build';
import type { Gateway, GatewayOptions } from '@bund/gateway/build';
import { authorize } from './authorize.js';
import { newTpp, registration } from './consent-stack.js';

/** A server whose handler can be set (or swapped) after it listens. */
export interface Slot {
  server: Server;
  url: string;
  handler: { current: RequestListener };
}

export async function listenSlot(host = 'localhost'): Promise<Slot> {
  const handler = { current: ((_req, res) => res.writeHead(503).end()) as RequestListener };
  const server = createServer((req, res) => handler.current(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, handler, url: `http://${host}:${(server.address() as AddressInfo).port}` };
}

export interface StackTpp {
  clientId: string;
  privateJwk: JWK;
  redirectUri: string;
  client: TppClient;
}

/**
 * The whole of Bund in one process, each part on its own port and talking HTTP as in
 * production: mock-bank, data-exchange, the consent service and the gateway, with two TPPs.
 */
export class BundStack {
  bank!: Slot;
  exchange!: Slot;
  consent!: Slot;
  gatewaySlot!: Slot;
  /** The gateway's operator listener: /metrics, /status. */
  opsSlot!: Slot;
  consentService!: ConsentService;
  gateway!: Gateway;
  tpps!: { a: StackTpp; b: StackTpp };
  /** The consent service's private signing keys: tests sign tokens it would never issue. */
  signingKeys!: KeyFile;
  credentials = {
    gateway: randomBytes(16).toString('hex'),
    consentService: randomBytes(16).toString('hex'),
  };
  private closers: (() => Promise<unknown>)[] = [];
  private gatewayOptions!: GatewayOptions;

  static async start(
    gatewayOverrides: Partial<GatewayOptions> = {},
    consentOverrides: Partial<ConsentServiceOptions> = {},
  ): Promise<BundStack> {
    const stack = new BundStack();
    await stack.init(gatewayOverrides, consentOverrides);
    return stack;
  }

  private async init(
    gatewayOverrides: Partial<GatewayOptions>,
    consentOverrides: Partial<ConsentServiceOptions>,
  ) {
    [this.bank, this.exchange, this.consent, this.gatewaySlot, this.opsSlot] = await Promise.all([
      listenSlot('127.0.0.1'),
      listenSlot('127.0.0.1'),
      listenSlot(),
      listenSlot(),
      listenSlot('127.0.0.1'),
    ]);
    const bank = await buildMockBank({
      databaseUrl: '',
      sqliteFile: ':memory:',
      credentials: this.credentials,
      logLevel: 'silent',
    });
    this.bank.handler.current = bank.app as unknown as RequestListener;
    const exchange = await buildDataExchange({
      credentials: { gateway: this.credentials.gateway },
    });
    this.exchange.handler.current = exchange.app as unknown as RequestListener;
    this.closers.push(
      () => bank.db.destroy(),
      () => exchange.db.destroy(),
    );

    const [a, b] = await Promise.all([newTpp('tpp-a'), newTpp('tpp-b')]);
    const dir = mkdtempSync(path.join(tmpdir(), 'bund-stack-'));
    this.consentService = await buildConsentService({
      issuer: this.consent.url,
      gatewayUrl: this.gatewaySlot.url,
      sqliteFile: path.join(dir, 'consent.sqlite'),
      bank: createBankClient(this.bank.url, this.credentials.consentService),
      clients: {
        metadata: [registration(a), registration(b)] as unknown as Clients['metadata'],
        display: new Map(),
      },
      signingKeys: (this.signingKeys = await loadOrCreateSigningKeys(path.join(dir, 'keys.json'))),
      gatewayCredential: this.credentials.gateway,
      ...consentOverrides,
    });
    this.consent.handler.current = this.consentService.app as unknown as RequestListener;
    this.closers.push(async () => {
      await this.consentService.close();
      await this.consentService.db.destroy();
    });
    this.gatewayOptions = {
      publicUrl: this.gatewaySlot.url,
      consentServiceUrl: this.consent.url,
      backends: { 'mock-bank': this.bank.url, 'data-exchange': this.exchange.url },
      credential: this.credentials.gateway,
      logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...gatewayOverrides,
    };
    this.gateway = await buildGateway(this.gatewayOptions);
    this.gatewaySlot.handler.current = this.gateway.app as unknown as RequestListener;
    this.opsSlot.handler.current = this.gateway.opsApp as unknown as RequestListener;
    this.closers.unshift(() => this.gateway.close());
    this.tpps = {
      a: {
        ...a,
        client: await createTppClient({
          issuer: this.consent.url,
          clientId: a.clientId,
          privateJwk: a.privateJwk,
        }),
      },
      b: {
        ...b,
        client: await createTppClient({
          issuer: this.consent.url,
          clientId: b.clientId,
          privateJwk: b.privateJwk,
        }),
      },
    };
  }

  /**
   * Another gateway replica, built as the first with `overrides`: same public URL, consent
   * service and backends. Set `gatewaySlot.handler.current` to its app to route calls to it, as
   * a load balancer would. Closed with the stack.
   */
  async replica(overrides: Partial<GatewayOptions> = {}): Promise<Gateway> {
    const replica = await buildGateway({ ...this.gatewayOptions, ...overrides });
    this.closers.unshift(() => replica.close());
    return replica;
  }

  /** Tokens for a consent the customer granted through the real journey. */
  async tokensFor(
    tpp: StackTpp,
    details: unknown[],
    journey: Parameters<typeof authorize>[3] = {},
  ) {
    const { callback, checks } = await authorize(tpp.client, tpp.redirectUri, details, journey);
    return tpp.client.exchangeCode(callback, checks);
  }

  /** A TPP's call to the gateway, with a fresh DPoP proof, as openid-client makes it. */
  call(
    tpp: StackTpp,
    accessToken: string,
    pathAndQuery: string,
    init: { method?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    return oidc.fetchProtectedResource(
      tpp.client.config,
      accessToken,
      new URL(pathAndQuery, this.gatewaySlot.url),
      init.method ?? 'GET',
      undefined,
      new Headers(init.headers),
      {
        DPoP: tpp.client.dpop,
      },
    );
  }

  async stop(): Promise<void> {
    for (const close of this.closers) await close().catch(() => undefined);
    for (const slot of [this.opsSlot, this.gatewaySlot, this.consent, this.exchange, this.bank]) {
      if (!slot) continue;
      slot.server.closeAllConnections();
      await new Promise((resolve) => slot.server.close(resolve));
    }
  }
}
