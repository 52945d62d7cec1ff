import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import type { ClientMetadata } from 'oidc-provider';

/** A TPP registration as written in the clients file. */
export interface ClientRegistration {
  client_id: string;
  /** A JWKS, or "generated": keys made on first start under DATA_DIR (the demo TPP). */
  jwks?: { keys: JWK[] } | 'generated' | undefined;
  [metadata: string]: unknown;
}

/** The private key of a TPP whose keys Bund generated, for the demo command and sample app. */
export function generatedKeyFile(dataDir: string, clientId: string): string {
  return path.join(dataDir, 'secrets', `${clientId}.private.jwk.json`);
}

async function loadOrCreateClientKey(dataDir: string, clientId: string): Promise<JWK> {
  const file = generatedKeyFile(dataDir, clientId);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    kid: `${clientId}-es256`,
    alg: 'ES256',
    use: 'sig',
  };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, JSON.stringify(jwk), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return JSON.parse(readFileSync(file, 'utf8')) as JWK;
    throw error;
  }
  return jwk;
}

/** Only the public members of a private JWK. */
export function publicJwk({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest }: JWK): JWK {
  return rest;
}

/** How a TPP is shown to customers. */
export interface ClientDisplay {
  name: { en: string; zh: string };
  logoUri?: string;
}

/** The registered TPPs: metadata for the provider, and how to show each to customers. */
export interface Clients {
  metadata: ClientMetadata[];
  display: ReadonlyMap<string, ClientDisplay>;
}

/**
 * Reads the TPP registrations, generating the keys of those marked `"jwks": "generated"`.
 * Language variants (`client_name#zh`) are for display only and not passed to the provider.
 */
export async function loadClients(file: string, dataDir: string): Promise<Clients> {
  const registrations = JSON.parse(readFileSync(file, 'utf8')) as ClientRegistration[];
  const display = new Map<string, ClientDisplay>();
  const metadata = await Promise.all(
    registrations.map(async (registration) => {
      const name = String(registration.client_name ?? registration.client_id);
      display.set(registration.client_id, {
        name: { en: name, zh: String(registration['client_name#zh'] ?? name) },
        ...(typeof registration.logo_uri === 'string' ? { logoUri: registration.logo_uri } : {}),
      });
      // The logo is shown by our pages (it may be a same-origin path), so the provider needs none.
      const providerMetadata = Object.fromEntries(
        Object.entries(registration).filter(([key]) => !key.includes('#') && key !== 'logo_uri'),
      );
      if (registration.jwks === 'generated') {
        const key = await loadOrCreateClientKey(dataDir, registration.client_id);
        providerMetadata.jwks = { keys: [publicJwk(key)] };
      }
      return providerMetadata as unknown as ClientMetadata;
    }),
  );
  return { metadata, display };
}
