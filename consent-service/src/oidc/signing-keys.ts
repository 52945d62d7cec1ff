import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';

/** The only algorithms Bund signs or accepts (FAPI 2.0). */
export const SIGNING_ALGS = ['PS256', 'ES256'] as const;

/** A private signing key as stored under `DATA_DIR`. */
export interface StoredKey extends JWK {
  kid: string;
  alg: (typeof SIGNING_ALGS)[number];
  use: 'sig';
  /** When this key was created (ISO 8601). */
  created: string;
  /** Set when a newer key took over signing; the key still verifies what it signed until then. */
  retired?: string;
}

export interface KeyFile {
  keys: StoredKey[];
}

async function newKey(alg: (typeof SIGNING_ALGS)[number]): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  return {
    ...(await exportJWK(privateKey)),
    kid: `${alg.toLowerCase()}-${randomUUID()}`,
    alg,
    use: 'sig',
    created: new Date().toISOString(),
  };
}

function writeAtomically(file: string, data: KeyFile) {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(data, null, 2), { mode: 0o600 });
  renameSync(temp, file);
}

/** Reads the key file, creating it with one ES256 and one PS256 key on first start. */
export async function loadOrCreateSigningKeys(file: string): Promise<KeyFile> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const created: KeyFile = { keys: [await newKey('ES256'), await newKey('PS256')] };
  writeAtomically(file, created);
  return created;
}

/**
 * Adds a new key per algorithm in front (the provider signs with the first key of an alg),
 * marks the previous ones retired, and drops keys retired longer ago than `keepRetiredFor`
 * (which must exceed the longest lifetime of anything they signed). Tokens in flight keep
 * verifying because their key stays in the JWKS until then.
 */
export async function rotateSigningKeys(
  file: string,
  keepRetiredForMs: number,
  now = new Date(),
): Promise<KeyFile> {
  const current = await loadOrCreateSigningKeys(file);
  const stillNeeded = current.keys
    .map((key) => (key.retired ? key : { ...key, retired: now.toISOString() }))
    .filter((key) => now.getTime() - Date.parse(key.retired!) < keepRetiredForMs);
  const rotated: KeyFile = { keys: [await newKey('ES256'), await newKey('PS256'), ...stillNeeded] };
  writeAtomically(file, rotated);
  return rotated;
}

/** The keys in the form oidc-provider's `jwks` option takes: active keys first. */
export function providerJwks(file: KeyFile): { keys: JWK[] } {
  const ordered = [...file.keys.filter((k) => !k.retired), ...file.keys.filter((k) => k.retired)];
  return { keys: ordered.map(({ created: _created, retired: _retired, ...jwk }) => jwk) };
}
