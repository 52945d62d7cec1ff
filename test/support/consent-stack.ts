import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { buildMockBank } from '@bund/mock-bank/build';
import { buildConsentService } from '@bund/consent-service/build';
import type { BuildOptions, ConsentService } from '@bund/consent-service/build';
import { createBankClient } from '@bund/consent-service/bank/bank-client';
import { publicJwk } from '@bund/consent-service/oidc/clients';
import type { Clients } from '@bund/consent-service/oidc/clients';
import { loadOrCreateSigningKeys } from '@bund/consent-service/oidc/signing-keys';
import type { KeyFile } from '@bund/consent-service/oidc/signing-keys';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A TPP registered with the test consent service, with its private key. */
export interface TestTpp {
  clientId: string;
  privateJwk: JWK;
  redirectUri: string;
}

export const GATEWAY_URL = 'http://localhost:8080';

async function listenOn(handler: {
  current: RequestListener;
}): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => handler.current(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
}

/** A TPP with a fresh ES256 key and a redirect URI of its own. */
export async function newTpp(clientId: string): Promise<TestTpp> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    clientId,
    privateJwk: { ...(await exportJWK(privateKey)), kid: `${clientId}-key`, alg: 'ES256' },
    redirectUri: `https://${clientId}.example/callback`,
  };
}

/** How a test TPP is registered with the consent service (FAPI 2.0: private_key_jwt, DPoP). */
export function registration(tpp: TestTpp) {
  return {
    client_id: tpp.clientId,
    client_name: `${tpp.clientId} app`,
    redirect_uris: [tpp.redirectUri],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    dpop_bound_access_tokens: true,
    authorization_details_types: ['account_information', 'credit_data_sharing'],
    jwks: { keys: [publicJwk(tpp.privateJwk)] },
  };
}

/**
 * The real mock-bank and the real consent service, each on its own port, with two registered
 * TPPs. `restart()` builds a new consent service on the same database, keys and secrets, to
 * prove that nothing lives only in memory.
 */
export class ConsentStack {
  service!: ConsentService;
  /** The gateway's internal credential: opens the internal consent read and change feed. */
  gatewayCredential!: string;
  issuer!: string;
  tpps!: { a: TestTpp; b: TestTpp };
  private servers: Server[] = [];
  private handler = { current: (() => undefined) as RequestListener };
  private bankDb?: { destroy(): Promise<void> };
  private options!: BuildOptions;

  static async start(overrides: Partial<BuildOptions> = {}): Promise<ConsentStack> {
    const stack = new ConsentStack();
    await stack.init(overrides);
    return stack;
  }

  private async init(overrides: Partial<BuildOptions>) {
    const credentials = {
      gateway: randomBytes(16).toString('hex'),
      consentService: randomBytes(16).toString('hex'),
    };
    const bank = await buildMockBank({
      databaseUrl: '',
      sqliteFile: ':memory:',
      credentials,
      logLevel: 'silent',
    });
    this.bankDb = bank.db;
    const bankHandler = { current: bank.app as unknown as RequestListener };
    const bankServer = await listenOn(bankHandler);
    const consentServer = await listenOn(this.handler);
    this.servers.push(bankServer.server, consentServer.server);
    this.issuer = consentServer.url;
    this.tpps = { a: await newTpp('tpp-a'), b: await newTpp('tpp-b') };
    const dir = mkdtempSync(path.join(tmpdir(), 'bund-consent-'));
    const signingKeys: KeyFile = await loadOrCreateSigningKeys(path.join(dir, 'keys.json'));
    const clients: Clients = {
      metadata: [
        registration(this.tpps.a),
        registration(this.tpps.b),
      ] as unknown as Clients['metadata'],
      display: new Map([
        ['tpp-a', { name: { en: 'TPP A Budgeting', zh: 'TPP A 记账' } }],
        ['tpp-b', { name: { en: 'TPP B Lending', zh: 'TPP B 贷款' } }],
      ]),
    };
    this.options = {
      issuer: this.issuer,
      gatewayUrl: GATEWAY_URL,
      gatewayCredential: credentials.gateway,
      sqliteFile: path.join(dir, 'consent-service.sqlite'),
      bank: createBankClient(
        bankServer.url.replace('localhost', '127.0.0.1'),
        credentials.consentService,
      ),
      clients,
      signingKeys,
      secrets: {
        cookieKey: randomBytes(32).toString('base64url'),
        dpopNonce: randomBytes(32).toString('base64url'),
        csrf: randomBytes(32).toString('base64url'),
      },
      ...overrides,
    };
    await this.build();
  }

  private async build() {
    this.service = await buildConsentService(this.options);
    this.gatewayCredential = this.options.gatewayCredential ?? '';
    this.handler.current = this.service.app as unknown as RequestListener;
  }

  /**
   * A new consent service process, in effect: same database, keys and secrets, fresh memory,
   * with `changes` applied (for example rotated signing keys).
   */
  async restart(changes: Partial<BuildOptions> = {}): Promise<void> {
    await this.service.close();
    await this.service.db.destroy();
    this.options = { ...this.options, ...changes };
    await this.build();
  }

  async stop(): Promise<void> {
    await this.service?.close();
    await this.service?.db.destroy();
    await this.bankDb?.destroy();
    for (const server of this.servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
}
