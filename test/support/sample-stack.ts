import type { GatewayOptions } from '@bund/gateway/build';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { pino } from 'pino';
import { DEMO_PASSWORD, repoRoot } from '@bund/service-kit';
import { loadClients, publicJwk } from '@bund/consent-service/oidc/clients';
import type { ClientRegistration } from '@bund/consent-service/oidc/clients';
import { OIDC_TABLE } from '@bund/consent-service/oidc/knex-adapter';
import { buildSampleTpp } from '@bund/sample-tpp/build';
import type { SampleTpp, SampleTppOptions } from '@bund/sample-tpp/build';
import { Browser } from './browser.js';
import type { Page } from './browser.js';
import { BundStack, listenSlot } from './bund-stack.js';
import type { Slot } from './bund-stack.js';

export const SAMPLE_CLIENT_ID = 'bund-sample-tpp';

/**
 * The whole stack in one process plus the sample TPP on its own port, registered at the consent
 * service exactly as `consent-service/config/clients.json` registers it (names, logo, grant
 * types), with its redirect URIs moved to the test port and a key made for the test.
 */
export class SampleStack {
  private constructor(
    readonly stack: BundStack,
    readonly slot: Slot,
    readonly sample: SampleTpp,
    private readonly options: SampleTppOptions,
    private readonly logged: { text: string },
  ) {}

  /** Everything the sample app logged, to check that no token ever reaches a log. */
  get logs(): string {
    return this.logged.text;
  }

  /** The sample app's base URL, e.g. http://localhost:41234. */
  get url(): string {
    return this.slot.url;
  }

  /**
   * The same app with a key the bank never registered (a misconfigured TPP): its requests fail
   * client authentication. It logs where this one does; serve it with `slot.handler.current`.
   */
  async withUnregisteredKey(): Promise<SampleTpp> {
    return buildSampleTpp({ ...this.options, privateJwk: await newClientKey('unregistered') });
  }

  static async start(gatewayOverrides: Partial<GatewayOptions> = {}): Promise<SampleStack> {
    const slot = await listenSlot();
    const privateJwk = await newClientKey('test');
    const registrations = JSON.parse(
      readFileSync(path.join(repoRoot, 'consent-service/config/clients.json'), 'utf8'),
    ) as ClientRegistration[];
    const registration = registrations.find((r) => r.client_id === SAMPLE_CLIENT_ID);
    if (!registration) throw new Error(`${SAMPLE_CLIENT_ID} is not in clients.json`);
    const dir = mkdtempSync(path.join(tmpdir(), 'bund-sample-'));
    const clientsFile = path.join(dir, 'clients.json');
    writeFileSync(
      clientsFile,
      JSON.stringify([
        {
          ...registration,
          redirect_uris: (registration.redirect_uris as string[]).map(
            (uri) => `${slot.url}${new URL(uri).pathname}`,
          ),
          jwks: { keys: [publicJwk(privateJwk)] },
        },
      ]),
    );
    const stack = await BundStack.start(gatewayOverrides, {
      clients: await loadClients(clientsFile, dir),
    });
    const logged = { text: '' };
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.text += String(chunk);
        done();
      },
    });
    const options: SampleTppOptions = {
      publicUrl: slot.url,
      issuer: stack.consent.url,
      gatewayUrl: stack.gatewaySlot.url,
      clientId: SAMPLE_CLIENT_ID,
      privateJwk,
      logger: pino({ level: 'trace' }, sink),
    };
    const sample = await buildSampleTpp(options);
    slot.handler.current = sample.app as unknown as RequestListener;
    return new SampleStack(stack, slot, sample, options, logged);
  }

  /** Every refresh token the consent service has issued (opaque ids), to look for leaks. */
  async refreshTokens(): Promise<string[]> {
    const rows = (await this.stack.consentService
      .db(OIDC_TABLE)
      .where({ model: 'RefreshToken' })
      .select('id')) as { id: string }[];
    return rows.map((row) => row.id);
  }

  async stop(): Promise<void> {
    this.sample.close();
    this.slot.server.closeAllConnections();
    await new Promise((resolve) => this.slot.server.close(resolve));
    await this.stack.stop();
  }
}

/** A private key for the sample app's private_key_jwt. */
async function newClientKey(kidSuffix: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    ...(await exportJWK(privateKey)),
    kid: `${SAMPLE_CLIENT_ID}-${kidSuffix}`,
    alg: 'ES256',
  };
}

export interface BankJourney {
  username?: string;
  /** Account ids to tick on the consent screen (account information only). */
  accounts?: string[];
  decision?: 'approve' | 'refuse';
}

/**
 * A customer in a cookie-jar browser: opens a product of the sample app, presses its connect
 * button, logs in at the bank, chooses accounts, approves or refuses, and lands back on the
 * product page. Returns that page.
 */
export async function connectThroughBank(
  browser: Browser,
  sampleUrl: string,
  product: 'budgeting' | 'loan',
  journey: BankJourney = {},
): Promise<Page> {
  let page = await browser.open(`${sampleUrl}/${product}`);
  page = await browser.submit(page, `/${product}/connect`);
  if (page.html.includes('name="password"')) {
    page = await browser.submit(page, '/login', {
      username: journey.username ?? (product === 'loan' ? 'mingyuan' : 'zhangwei'),
      password: DEMO_PASSWORD,
    });
  }
  if (page.html.includes('name="accounts"')) {
    page = await browser.submit(page, '/accounts', {
      accounts: journey.accounts ?? ['acc-0001-01'],
    });
  }
  return browser.submit(page, journey.decision === 'refuse' ? '/refuse' : '/approve');
}

/** Logs in to the bank's dashboard and revokes the newest active consent, as the customer does. */
export async function revokeInDashboard(
  browser: Browser,
  issuer: string,
  username = 'zhangwei',
): Promise<Page> {
  let page = await browser.open(`${issuer}/dashboard`);
  if (page.html.includes('name="password"'))
    page = await browser.submit(page, '/dashboard/login', { username, password: DEMO_PASSWORD });
  const detail = /href="(\/dashboard\/consents\/[^"/]+)"/.exec(page.html)?.[1];
  if (!detail) throw new Error(`no consent on the dashboard:\n${page.html.slice(0, 2000)}`);
  page = await browser.open(`${issuer}${detail}/revoke`);
  return browser.submit(page, '/revoke');
}

export { Browser };
