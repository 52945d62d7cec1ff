import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { accessTokenHash } from '@bund/service-kit';

/** A TPP's DPoP key pair, usable by openid-client and for hand-made proofs alike. */
export interface DpopKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function dpopKeys(): Promise<DpopKeys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, publicKey, publicJwk: await exportJWK(publicKey) };
}

/**
 * A DPoP proof for `method url` with `accessToken`, made by hand so a test can send exactly the
 * proof it means to (once, twice, for the wrong URL) rather than what a client library makes.
 */
export function dpopProof(
  keys: DpopKeys,
  method: string,
  url: string,
  accessToken: string,
  claims: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({
    htm: method,
    htu: url,
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    ath: accessTokenHash(accessToken),
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: keys.publicJwk })
    .sign(keys.privateKey);
}
