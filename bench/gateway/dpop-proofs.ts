import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { JWK } from 'jose';

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Writes `count` DPoP proofs (RFC 9449), one per line, for `GET htu` with the access token's
 * hash: each with its own `jti` and `iat` = now, signed ES256 by the key the token is bound to.
 * wrk cannot sign, so the benchmark signs them here just before a run (the gateway accepts an
 * `iat` up to 60 s old) and load.lua sends each once. Signed with node:crypto directly, about
 * 25 µs a proof; resolves with the time it took.
 */
export async function writeProofs(
  file: string,
  options: { privateJwk: JWK; htu: string; accessToken: string; count: number },
): Promise<number> {
  const started = performance.now();
  const { kty, crv, x, y } = options.privateJwk;
  const key = createPrivateKey({ key: options.privateJwk, format: 'jwk' });
  const header = b64(
    JSON.stringify({
      typ: 'dpop+jwt',
      alg: 'ES256',
      jwk: { kty, crv, x, y },
    }),
  );
  const ath = createHash('sha256').update(options.accessToken).digest('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const run = randomBytes(6).toString('base64url');
  const out = createWriteStream(file);
  let chunk: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const payload = b64(
      JSON.stringify({ jti: `${run}-${i}`, htm: 'GET', htu: options.htu, iat, ath }),
    );
    const input = `${header}.${payload}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    chunk.push(`${input}.${signature.toString('base64url')}\n`);
    if (chunk.length === 1000) {
      if (!out.write(chunk.join(''))) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end(chunk.join(''));
  await once(out, 'finish');
  return performance.now() - started;
}
