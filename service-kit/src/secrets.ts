import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads the secret `name` under `dir/secrets/`, creating it (random, owner-only) on first use.
 * Several processes may start at once, so creation uses an exclusive open and the loser reads
 * what the winner wrote.
 */
export function loadOrCreateSecret(dir: string, name: string, bytes = 32): string {
  const folder = path.join(dir, 'secrets');
  const file = path.join(folder, name);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(bytes).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length === 0) throw new Error(`secret file ${file} is empty`);
  return secret;
}

/** The Bund services that call backends with an internal credential. */
export type InternalCaller = 'gateway' | 'consent-service';

/**
 * The internal credential of `caller`: `override` when the environment sets one, else the
 * secret generated under `dataDir` on first start (shared by every service of one checkout).
 */
export function internalCredential(dataDir: string, caller: InternalCaller, override = ''): string {
  return override || loadOrCreateSecret(dataDir, `${caller}-credential`);
}
