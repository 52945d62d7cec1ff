import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, randomUUID, sign as cryptoSign } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK, JWTHeaderParameters } from 'jose';
import {
  DpopError,
  MemoryReplayCache,
  ReplayCacheFullError,
  accessTokenHash,
  normaliseHtu,
  verifyDpopProof,
} from '@bund/service-kit';
import type { DpopErrorCode, DpopRequest } from '@bund/service-kit';

const URL_ = 'https://api.bund.example/consents/c-1';
const TOKEN = 'an-opaque-access-token';

interface Keys {
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
  jkt: string;
}

async function keysFor(alg: 'ES256' | 'PS256'): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return {
    privateKey,
    publicJwk,
    privateJwk: await exportJWK(privateKey),
    jkt: await calculateJwkThumbprint(publicJwk),
  };
}

interface ProofOptions {
  alg?: string;
  header?: Partial<JWTHeaderParameters> & Record<string, unknown>;
  claims?: Record<string, unknown>;
  key?: CryptoKey;
}

/** A proof as a TPP would sign it for `GET URL_` with `TOKEN`, with parts overridden. */
function proofWith(
  keys: Keys,
  { alg = 'ES256', header = {}, claims = {}, key }: ProofOptions = {},
) {
  return new SignJWT({
    htm: 'GET',
    htu: URL_,
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    ath: accessTokenHash(TOKEN),
    ...claims,
  })
    .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk: keys.publicJwk, ...header })
    .sign(key ?? keys.privateKey);
}

/** An unsigned-looking JWS with any header: for algorithms jose refuses to sign with. */
function forged(header: Record<string, unknown>, claims: Record<string, unknown> = {}) {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = {
    htm: 'GET',
    htu: URL_,
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    ...claims,
  };
  return `${part(header)}.${part(payload)}.${Buffer.from('not a signature').toString('base64url')}`;
}

async function refusal(promise: Promise<unknown>): Promise<DpopError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DpopError, `expected a DpopError, got ${String(error)}`);
    return error;
  }
  assert.fail('the proof was accepted');
}

describe('verifyDpopProof (service-kit)', () => {
  let es: Keys;
  let cache: MemoryReplayCache;
  const request = (proof: string | undefined, extra: Partial<DpopRequest> = {}): DpopRequest => ({
    proof,
    method: 'GET',
    url: URL_,
    ath: accessTokenHash(TOKEN),
    jkt: es.jkt,
    ...extra,
  });
  const verify = (req: DpopRequest) => verifyDpopProof(req, { replayCache: cache });
  const refuses = async (req: DpopRequest, code: DpopErrorCode, message: RegExp) => {
    const error = await refusal(verify(req));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
  };

  before(async () => {
    es = await keysFor('ES256');
  });
  beforeEach(() => {
    cache = new MemoryReplayCache();
  });

  it('accepts a fresh ES256 proof bound to the token and key, and returns its thumbprint', async () => {
    const proof = await proofWith(es);
    const verified = await verify(request(proof));
    assert.equal(verified.jkt, es.jkt);
    assert.deepEqual(verified.jwk, es.publicJwk);
  });

  it('accepts a PS256 proof', async () => {
    const ps = await keysFor('PS256');
    const proof = await proofWith(ps, { alg: 'PS256' });
    const verified = await verify(request(proof, { jkt: ps.jkt }));
    assert.equal(verified.jkt, ps.jkt);
  });

  it('compares htu normalised: scheme and host case, default port, query and fragment', async () => {
    const proof = await proofWith(es, {
      claims: { htu: 'HTTPS://API.Bund.Example:443/consents/c-1?x=1#top' },
    });
    await verify(request(proof, { url: `${URL_}?page=2` }));
    assert.equal(normaliseHtu('http://Example.COM:80/a?b#c'), 'http://example.com/a');
    assert.equal(normaliseHtu('http://example.com:8080/a'), 'http://example.com:8080/a');
    assert.equal(normaliseHtu('ftp://example.com/a'), undefined);
  });

  it('accepts a proof without ath when no access token is presented (token endpoint use)', async () => {
    const proof = await proofWith(es, { claims: { ath: undefined } });
    await verify(request(proof, { ath: undefined, jkt: undefined }));
  });

  it('refuses a request without a proof as missing_proof', async () => {
    await refuses(request(undefined), 'missing_proof', /no DPoP proof/);
  });

  it('refuses two DPoP headers', async () => {
    const proof = await proofWith(es);
    await refuses(request(`${proof}, ${proof}`), 'invalid_proof', /more than one DPoP header/);
  });

  it('refuses something that is not a JWS', async () => {
    await refuses(request('garbage'), 'invalid_proof', /not a compact JWS/);
  });

  it('refuses a wrong typ', async () => {
    const proof = await proofWith(es, { header: { typ: 'JWT' } });
    await refuses(request(proof), 'invalid_proof', /typ must be dpop\+jwt, not "JWT"/);
  });

  it('refuses alg none', async () => {
    const proof = forged({ alg: 'none', typ: 'dpop+jwt', jwk: es.publicJwk });
    await refuses(request(proof), 'invalid_proof', /alg "none" is not allowed/);
  });

  it('refuses alg HS256, even with a symmetric jwk', async () => {
    const proof = forged({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: 'c2VjcmV0' } });
    await refuses(request(proof), 'invalid_proof', /alg "HS256" is not allowed/);
  });

  it('refuses an allowed algorithm that the caller did not allow', async () => {
    const proof = await proofWith(es);
    const error = await refusal(
      verifyDpopProof(request(proof), { replayCache: cache, algorithms: ['PS256'] }),
    );
    assert.equal(error.code, 'invalid_proof');
    assert.match(error.message, /alg "ES256" is not allowed; use one of PS256/);
  });

  it('refuses a private key in the jwk', async () => {
    const proof = await proofWith(es, { header: { jwk: es.privateJwk } });
    await refuses(request(proof), 'invalid_proof', /not a public key: it has d/);
  });

  it('refuses a key given by reference (jku, x5c) or by kid alone', async () => {
    const byJku = await proofWith(es, { header: { jku: 'https://attacker.example/jwks' } });
    await refuses(request(byJku), 'invalid_proof', /not refer to one by jku/);
    const byX5c = forged({ alg: 'ES256', typ: 'dpop+jwt', x5c: ['MIIB'] });
    await refuses(request(byX5c), 'invalid_proof', /not refer to one by x5c/);
    const byKid = forged({ alg: 'ES256', typ: 'dpop+jwt', kid: 'key-1' });
    await refuses(request(byKid), 'invalid_proof', /no jwk \(a kid alone/);
  });

  it('refuses a jwk that does not suit the alg', async () => {
    const ps = await keysFor('PS256');
    const proof = forged({ alg: 'ES256', typ: 'dpop+jwt', jwk: ps.publicJwk });
    await refuses(request(proof), 'invalid_proof', /kty RSA does not suit alg ES256/);
  });

  it('refuses a bad signature (signed by another key than the jwk)', async () => {
    const other = await keysFor('ES256');
    const proof = await proofWith(es, { key: other.privateKey });
    await refuses(request(proof), 'invalid_proof', /signature does not verify/);
  });

  it('refuses a truncated or tampered signature and a tampered payload', async () => {
    const proof = await proofWith(es);
    const [header, payload, signature] = proof.split('.') as [string, string, string];
    await refuses(
      request(`${header}.${payload}.${signature.slice(0, 40)}`),
      'invalid_proof',
      /signature does not verify/,
    );
    // The same claims with another jti, under the original signature.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string };
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, jti: randomUUID() })).toString(
      'base64url',
    );
    await refuses(
      request(`${header}.${otherPayload}.${signature}`),
      'invalid_proof',
      /signature does not verify/,
    );
  });

  it('refuses RSA keys that are too short or have an unusual exponent', async () => {
    for (const [modulusLength, publicExponent, why] of [
      [1024, 65537, /other than 2048 to 4096 bits/],
      [2048, 3, /exponent other than 65537/],
    ] as const) {
      const pair = generateKeyPairSync('rsa', { modulusLength, publicExponent });
      const jwk = pair.publicKey.export({ format: 'jwk' }) as JWK;
      const header = { alg: 'PS256', typ: 'dpop+jwt', jwk };
      const payload = {
        htm: 'GET',
        htu: URL_,
        iat: Math.floor(Date.now() / 1000),
        jti: randomUUID(),
        ath: accessTokenHash(TOKEN),
      };
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const input = `${part(header)}.${part(payload)}`;
      const signature = cryptoSign('sha256', Buffer.from(input), {
        key: pair.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      }).toString('base64url');
      await refuses(request(`${input}.${signature}`, { jkt: undefined }), 'invalid_proof', why);
    }
  });

  it('refuses an ES256 signature in DER form and a non-canonical base64url encoding', async () => {
    const proof = await proofWith(es);
    const [header, payload, signature] = proof.split('.') as [string, string, string];
    const raw = Buffer.from(signature, 'base64url');
    // The same signature as ASN.1 DER (what JOSE does not use).
    const integer = (bytes: Buffer) => {
      let value = bytes;
      while (value.length > 1 && value[0] === 0 && value[1]! < 0x80) value = value.subarray(1);
      if (value[0]! >= 0x80) value = Buffer.concat([Buffer.from([0]), value]);
      return Buffer.concat([Buffer.from([0x02, value.length]), value]);
    };
    const body = Buffer.concat([integer(raw.subarray(0, 32)), integer(raw.subarray(32))]);
    const der = Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64url');
    await refuses(request(`${header}.${payload}.${der}`), 'invalid_proof', /signature/);
    // A last character whose unused bits are set decodes to the same bytes, but is not canonical.
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    await refuses(
      request(`${header}.${payload}.${signature.slice(0, -1)}${twin}`),
      'invalid_proof',
      /not a compact JWS/,
    );
  });

  it('refuses a JWS extension it does not understand (crit, b64)', async () => {
    const withCrit = forged({
      alg: 'ES256',
      typ: 'dpop+jwt',
      jwk: es.publicJwk,
      crit: ['urn:x'],
      'urn:x': 1,
    });
    await refuses(request(withCrit), 'invalid_proof', /crit or b64/);
  });

  it('refuses an expired proof (exp) and one not valid yet (nbf)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refuses(
      request(await proofWith(es, { claims: { exp: now - 120 } })),
      'invalid_proof',
      /expired \(exp\)/,
    );
    await refuses(
      request(await proofWith(es, { claims: { nbf: now + 600 } })),
      'invalid_proof',
      /not valid yet \(nbf\)/,
    );
  });

  it('refuses a proof for another method', async () => {
    const proof = await proofWith(es, { claims: { htm: 'POST' } });
    await refuses(
      request(proof),
      'invalid_proof',
      /htm POST does not match the request method GET/,
    );
  });

  it('refuses a proof for another URL', async () => {
    const proof = await proofWith(es, { claims: { htu: 'https://api.bund.example/consents/c-2' } });
    await refuses(request(proof), 'invalid_proof', /htu .*c-2 does not match the request URL/);
    const otherPort = await proofWith(es, {
      claims: { htu: 'https://api.bund.example:8443/consents/c-1' },
    });
    await refuses(request(otherPort), 'invalid_proof', /does not match the request URL/);
  });

  it('refuses a stale proof and one from the future, with a configurable window', async () => {
    const now = Math.floor(Date.now() / 1000);
    const stale = await proofWith(es, { claims: { iat: now - 61 } });
    await refuses(request(stale), 'invalid_proof', /iat is 6\d s old; at most 60 s/);
    const future = await proofWith(es, { claims: { iat: now + 90 } });
    await refuses(request(future), 'invalid_proof', /iat is \d+ s in the future/);
    const wide = await proofWith(es, { claims: { iat: now - 100 } });
    await verifyDpopProof(request(wide), { replayCache: cache, maxClockSkewSeconds: 120 });
  });

  it('refuses a proof without jti', async () => {
    const proof = await proofWith(es, { claims: { jti: undefined } });
    await refuses(request(proof), 'invalid_proof', /jti must be a string/);
  });

  it('refuses a replayed proof, but not the same jti under another key', async () => {
    const jti = randomUUID();
    const proof = await proofWith(es, { claims: { jti } });
    await verify(request(proof));
    await refuses(request(proof), 'replayed_proof', new RegExp(`jti ${jti} was already used`));
    const other = await keysFor('ES256');
    const sameJti = await proofWith(other, { claims: { jti } });
    await verify(request(sameJti, { jkt: other.jkt }));
  });

  it('does not use up the jti of a proof refused for another reason', async () => {
    const jti = randomUUID();
    const wrongUrl = await proofWith(es, { claims: { jti, htu: 'https://elsewhere.example/' } });
    await refuses(request(wrongUrl), 'invalid_proof', /htu/);
    await verify(request(await proofWith(es, { claims: { jti } })));
  });

  it('refuses a proof whose ath is not the hash of the presented token', async () => {
    const proof = await proofWith(es, { claims: { ath: accessTokenHash('another-token') } });
    await refuses(request(proof), 'proof_binding_mismatch', /ath is not the hash/);
    const none = await proofWith(es, { claims: { ath: undefined } });
    await refuses(request(none), 'proof_binding_mismatch', /has no ath/);
  });

  it('refuses a proof signed with another key than the token is bound to (jkt)', async () => {
    const other = await keysFor('ES256');
    const proof = await proofWith(other);
    await refuses(
      request(proof),
      'proof_binding_mismatch',
      /not the key the access token is bound to/,
    );
  });
});

describe('MemoryReplayCache', () => {
  it('forgets entries once expired and refuses to grow past its bound with live ones', () => {
    let now = 1000;
    const cache = new MemoryReplayCache(2, () => now);
    assert.equal(cache.seen('a', 1010), false);
    assert.equal(cache.seen('a', 1010), true);
    assert.equal(cache.seen('b', 1020), false);
    assert.throws(() => cache.seen('c', 1020), ReplayCacheFullError);
    now = 1011;
    assert.equal(cache.seen('c', 1030), false, 'a expired and was swept');
    assert.equal(cache.size, 2);
    assert.equal(cache.seen('c', 1030), true);
  });

  it('finds expired entries behind a live one dated ahead before it refuses', () => {
    let now = 1000;
    const cache = new MemoryReplayCache(3, () => now);
    // A proof whose iat is ahead of this clock is remembered longest, and sits in front.
    assert.equal(cache.seen('ahead', 1120), false);
    assert.equal(cache.seen('b', 1060), false);
    assert.equal(cache.seen('c', 1060), false);
    now = 1061;
    assert.equal(cache.seen('d', 1121), false, 'b and c had expired: there was room');
    assert.equal(cache.seen('ahead', 1120), true, 'the live one is still remembered');
    assert.equal(cache.seen('e', 1121), false);
    assert.throws(() => cache.seen('f', 1121), ReplayCacheFullError, 'full of live ones');
  });

  it('counts only live entries at the front once time has passed, without new proofs', () => {
    let now = 1000;
    const cache = new MemoryReplayCache(10, () => now);
    cache.seen('a', 1060);
    cache.seen('b', 1060);
    assert.equal(cache.size, 2);
    now = 1061;
    assert.equal(cache.size, 0);
  });
});
