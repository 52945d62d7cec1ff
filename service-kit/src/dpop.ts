import { constants, createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import type { JsonWebKey, KeyObject, VerifyKeyObjectInput } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { JWK, JWTPayload } from 'jose';

/**
 * Why a DPoP proof was refused. Callers switch on these, never on the message:
 * - `missing_proof`: no `DPoP` header;
 * - `invalid_proof`: malformed, wrongly typed, badly signed, for another request, or too old;
 * - `replayed_proof`: a valid proof seen before (same key and `jti`);
 * - `proof_binding_mismatch`: valid, but not bound to this access token (`ath`) or key (`jkt`).
 */
export type DpopErrorCode =
  'missing_proof' | 'invalid_proof' | 'replayed_proof' | 'proof_binding_mismatch';

/** A refused DPoP proof (RFC 9449); `message` names what failed, for the client and the log. */
export class DpopError extends Error {
  constructor(
    readonly code: DpopErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DpopError';
  }
}

/** The proof signing algorithms FAPI 2.0 allows, and so the only ones Bund accepts. */
export const DPOP_ALGORITHMS = ['PS256', 'ES256'] as const;
export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number];

/**
 * Remembers proofs already accepted. `seen` records `key` until `expiresAt` (Unix seconds) and
 * answers whether it was already recorded and unexpired. The key is the `jti` scoped by the
 * proof key's thumbprint (`<jkt>:<jti>`): a `jti` reused under another key is not a replay.
 * Several replicas must share one cache (a database row, Redis), or a proof can be replayed
 * once per replica.
 */
export interface DpopReplayCache {
  seen(jti: string, expiresAt: number): Promise<boolean> | boolean;
}

/** Thrown by {@link MemoryReplayCache} when every entry is still live: it refuses, never forgets. */
export class ReplayCacheFullError extends Error {
  constructor(maxEntries: number) {
    super(`the DPoP replay cache holds ${maxEntries} live proofs and takes no more`);
    this.name = 'ReplayCacheFullError';
  }
}

const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * A replay cache in process memory, bounded to `maxEntries`. Entries leave once expired (swept
 * from the oldest on every write, so the cost is amortised O(1)). When full of live entries it
 * throws {@link ReplayCacheFullError} rather than evict one, because evicting would re-open a
 * replay window; answer that as 503 and size the cache for proofs per second × the window.
 * One process only: several replicas need a shared cache.
 */
export class MemoryReplayCache implements DpopReplayCache {
  // Insertion order is close to expiry order (expiry = iat + window, iat ≈ now), so sweeping
  // from the front finds the expired ones; one stuck behind a later one lives at most a window longer.
  readonly #entries = new Map<string, number>();
  /** When the cache last looked past live entries for expired ones (a full pass), in seconds. */
  #fullSweepAt = -Infinity;

  constructor(
    readonly maxEntries = 100_000,
    private readonly now: () => number = unixNow,
  ) {}

  /** Entries held now, after dropping the expired ones at the front. */
  get size(): number {
    this.#sweep(this.now());
    return this.#entries.size;
  }

  seen(key: string, expiresAt: number): boolean {
    const now = this.now();
    const known = this.#entries.get(key);
    if (known !== undefined && known > now) return true;
    this.#entries.delete(key);
    this.#sweep(now);
    if (this.#entries.size >= this.maxEntries && now > this.#fullSweepAt) {
      // Expired entries may wait behind a live one dated ahead: before refusing, look at all of
      // them, at most once a second (a pass over a full cache takes milliseconds).
      this.#fullSweepAt = now;
      this.#sweep(now, true);
    }
    if (this.#entries.size >= this.maxEntries) throw new ReplayCacheFullError(this.maxEntries);
    this.#entries.set(key, expiresAt);
    return false;
  }

  #sweep(now: number, pastLiveOnes = false): void {
    for (const [key, expiresAt] of this.#entries) {
      if (expiresAt <= now) this.#entries.delete(key);
      else if (!pastLiveOnes) return;
    }
  }
}

/** How proofs are checked; build once and reuse for every request. */
export interface DpopVerifyOptions {
  replayCache: DpopReplayCache;
  /** Accepted `alg` values; default {@link DPOP_ALGORITHMS}. */
  algorithms?: readonly DpopAlgorithm[];
  /** How far (seconds) a proof's `iat` may lie from now, either way; default 60. */
  maxClockSkewSeconds?: number;
  /** The clock, in Unix seconds (tests). */
  now?: () => number;
}

/** The request a proof must match, and what it must be bound to. */
export interface DpopRequest {
  /** The `DPoP` header as received (undefined when absent). */
  proof: string | undefined;
  /** The request method, e.g. `GET`. */
  method: string;
  /** The public URL of the request (any query or fragment is ignored). */
  url: string;
  /**
   * When an access token was presented with the proof, its hash ({@link accessTokenHash}):
   * the proof's `ath` must equal it. A hash, so a caller that already has it hashes once.
   */
  ath?: string;
  /** The thumbprint the access token is bound to (`cnf.jkt`): the proof's key must have it. */
  jkt?: string;
}

/** An accepted proof. */
export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key. */
  jkt: string;
  jti: string;
  iat: number;
  /** The proof's public key. */
  jwk: JWK;
}

/** Far beyond any real proof; refused before any parsing. */
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;
/** Members that make a JWK private (RSA, EC and OKP private parts; symmetric keys). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
/** Header members that name a key elsewhere; a proof carries its key, and we never fetch one. */
const KEY_REFERENCES = ['jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'] as const;
const KEY_TYPE: Record<DpopAlgorithm, string> = { PS256: 'RSA', ES256: 'EC' };

/**
 * `scheme://host[:port]/path` of an http(s) URL, with scheme and host lowercased, the default
 * port dropped and query and fragment removed: the form in which `htu` is compared.
 * Undefined when `value` is not an absolute http(s) URL.
 */
export function normaliseHtu(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** base64url(SHA-256(accessToken)): the `ath` a proof presented with that token must carry. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

const invalid = (message: string, cause?: unknown) =>
  new DpopError('invalid_proof', message, cause === undefined ? undefined : { cause });

function publicJwkOf(header: Record<string, unknown>, alg: DpopAlgorithm): JWK {
  for (const member of KEY_REFERENCES) {
    if (member in header) {
      throw invalid(`the proof header must carry its key in jwk, not refer to one by ${member}`);
    }
  }
  const jwk = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    const byKid = typeof header.kid === 'string' ? ' (a kid alone does not say which key)' : '';
    throw invalid(`the proof header has no jwk${byKid}`);
  }
  const key = jwk as JWK;
  const exposed = PRIVATE_MEMBERS.filter((member) => member in key);
  if (exposed.length > 0) {
    throw invalid(`the proof jwk is not a public key: it has ${exposed.join(', ')}`);
  }
  if (key.kty !== KEY_TYPE[alg]) {
    throw invalid(`the proof jwk kty ${String(key.kty)} does not suit alg ${alg}`);
  }
  if (alg === 'ES256' && key.crv !== 'P-256') {
    throw invalid(`the proof jwk crv ${String(key.crv)} does not suit alg ES256`);
  }
  return key;
}

function claimsOf(payload: JWTPayload) {
  const { jti, htm, htu, iat, ath } = payload;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    throw invalid(`the proof jti must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  }
  if (typeof htm !== 'string') throw invalid('the proof has no htm');
  if (typeof htu !== 'string') throw invalid('the proof has no htu');
  if (typeof iat !== 'number' || !Number.isFinite(iat))
    throw invalid('the proof has no numeric iat');
  return { jti, htm, htu, iat, ath };
}

/** A proof's key as imported, and its RFC 7638 thumbprint once computed. */
interface ProofKey {
  /** What `crypto.verify` takes for this key and alg. */
  verifyWith: VerifyKeyObjectInput;
  jkt?: string;
}

const PROOF_KEYS_LIMIT = 10_000;
/**
 * Keys of recent proofs by their protected header as sent (base64url): it fixes `alg` and `jwk`
 * and is the same on every proof of a client, so finding the key serialises nothing. Importing
 * a JWK and hashing it for its thumbprint cost more CPU than checking the signature; both
 * depend only on the JWK, so they are done once, and kept once a signature has verified.
 * Bounded: emptied when full.
 */
const proofKeys = new Map<string, ProofKey>();

function verifyInput(key: KeyObject, alg: DpopAlgorithm): VerifyKeyObjectInput {
  if (alg === 'ES256') return { key, dsaEncoding: 'ieee-p1363' };
  // RFC 7518 §3.5: at least 2048 bits. At most 4096 and the usual exponent, so that a proof
  // cannot make its check cost what a private-key operation does (the check runs on the
  // event loop).
  const { modulusLength = 0, publicExponent } = key.asymmetricKeyDetails ?? {};
  if (modulusLength < 2048 || modulusLength > 4096) {
    throw invalid('the proof jwk is an RSA key of other than 2048 to 4096 bits');
  }
  if (publicExponent !== 65537n)
    throw invalid('the proof jwk has an RSA exponent other than 65537');
  // The salt is as long as the hash.
  return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
}

/** The key for a proof's jwk: cached once a signature made with it has verified. */
function importProofKey(
  id: string,
  jwk: JWK,
  alg: DpopAlgorithm,
): { id: string; proofKey: ProofKey } {
  const cached = proofKeys.get(id);
  if (cached) return { id, proofKey: cached };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch (error) {
    throw invalid('the proof jwk is not a usable public key', error);
  }
  return { id, proofKey: { verifyWith: verifyInput(key, alg) } };
}

function rememberProofKey(id: string, proofKey: ProofKey): void {
  if (proofKeys.has(id)) return;
  if (proofKeys.size >= PROOF_KEYS_LIMIT) proofKeys.clear();
  proofKeys.set(id, proofKey);
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Strict base64url (RFC 7515 §2): the alphabet, no padding, and the canonical encoding. */
function decodeBase64url(part: string): Buffer | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

/** A compact JWS split into its parts, with the header and payload decoded as JSON objects. */
function parseCompactJws(proof: string) {
  const parts = proof.split('.');
  const decoded = parts.length === 3 ? parts.map(decodeBase64url) : [];
  if (decoded.length !== 3 || decoded.some((bytes) => bytes === undefined)) {
    throw invalid('the DPoP proof is not a compact JWS');
  }
  const json = (bytes: Buffer, what: string): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw invalid(`the DPoP proof ${what} is not JSON`, error);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalid(`the DPoP proof ${what} is not a JSON object`);
    }
    return value as Record<string, unknown>;
  };
  return {
    header: json(decoded[0]!, 'header'),
    payload: json(decoded[1]!, 'payload') as JWTPayload,
    encodedHeader: parts[0]!,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: decoded[2]!,
  };
}

/**
 * Checks a DPoP proof (RFC 9449 §4.3) for one request: `typ` dpop+jwt, an allowed `alg`, a
 * public `jwk` in the header (never a key fetched from elsewhere) that verifies the signature,
 * `htm` and `htu` matching the request, `iat` within the window, a `jti` not seen before, and
 * when given, `ath` equal to `request.ath` and the key's thumbprint matching `jkt`. The
 * replay check runs last, so a proof refused for another reason does not use up its `jti`.
 * Throws {@link DpopError}; anything else thrown (a replay cache failure) is the server's fault.
 */
export async function verifyDpopProof(
  request: DpopRequest,
  options: DpopVerifyOptions,
): Promise<VerifiedDpopProof> {
  const { proof } = request;
  const algorithms = options.algorithms ?? DPOP_ALGORITHMS;
  const skew = options.maxClockSkewSeconds ?? 60;
  const now = (options.now ?? unixNow)();

  if (proof === undefined || proof === '') {
    throw new DpopError('missing_proof', 'the request has no DPoP proof header');
  }
  if (proof.length > MAX_PROOF_LENGTH) {
    throw invalid(`the DPoP proof is longer than ${MAX_PROOF_LENGTH} characters`);
  }
  // Repeated headers arrive joined by commas, which a compact JWS never contains.
  if (proof.includes(',')) throw invalid('the request has more than one DPoP header');

  // Parsed and checked here with node:crypto rather than jose's jwtVerify: on the gateway's
  // hot path the WebCrypto round trip through the thread pool cost about as much again as the
  // signature check itself (bench/gateway.ts).
  const { header, encodedHeader, payload, signingInput, signature } = parseCompactJws(proof);
  if (header.typ !== 'dpop+jwt') {
    throw invalid(`the proof typ must be dpop+jwt, not ${JSON.stringify(header.typ ?? null)}`);
  }
  const alg = header.alg;
  if (typeof alg !== 'string' || !(algorithms as readonly string[]).includes(alg)) {
    throw invalid(
      `the proof alg ${JSON.stringify(alg ?? null)} is not allowed; use one of ${algorithms.join(', ')}`,
    );
  }
  // RFC 7515 §4.1.11: extensions this verifier does not understand must be refused, and it
  // understands none (nor the unencoded payload of RFC 7797).
  if ('crit' in header || 'b64' in header) {
    throw invalid('the proof header uses a JWS extension (crit or b64) that is not supported');
  }
  const jwk = publicJwkOf(header, alg as DpopAlgorithm);
  const { id: keyId, proofKey } = importProofKey(encodedHeader, jwk, alg as DpopAlgorithm);
  let verified: boolean;
  try {
    verified = verifySignature('sha256', Buffer.from(signingInput), proofKey.verifyWith, signature);
  } catch {
    verified = false; // a signature of the wrong length or shape
  }
  if (!verified) throw invalid('the proof signature does not verify with the jwk in its header');
  rememberProofKey(keyId, proofKey);
  const claims = claimsOf(payload);
  // Optional in a proof, but binding when present.
  if (payload.exp !== undefined && (typeof payload.exp !== 'number' || payload.exp <= now - skew)) {
    throw invalid('the proof has expired (exp)');
  }
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + skew)) {
    throw invalid('the proof is not valid yet (nbf)');
  }

  if (claims.htm !== request.method) {
    throw invalid(
      `the proof htm ${claims.htm} does not match the request method ${request.method}`,
    );
  }
  const expectedHtu = normaliseHtu(request.url);
  if (expectedHtu === undefined) throw new TypeError(`not an http(s) request URL: ${request.url}`);
  if (normaliseHtu(claims.htu) !== expectedHtu) {
    throw invalid(`the proof htu ${claims.htu} does not match the request URL ${expectedHtu}`);
  }
  if (claims.iat < now - skew) {
    throw invalid(`the proof iat is ${now - claims.iat} s old; at most ${skew} s is accepted`);
  }
  if (claims.iat > now + skew) {
    throw invalid(
      `the proof iat is ${claims.iat - now} s in the future; at most ${skew} s is accepted`,
    );
  }
  if (request.ath !== undefined && claims.ath !== request.ath) {
    throw new DpopError(
      'proof_binding_mismatch',
      claims.ath === undefined
        ? 'the proof has no ath, but an access token was presented'
        : 'the proof ath is not the hash of the presented access token',
    );
  }
  const jkt = (proofKey.jkt ??= await calculateJwkThumbprint(jwk, 'sha256'));
  if (request.jkt !== undefined && jkt !== request.jkt) {
    throw new DpopError(
      'proof_binding_mismatch',
      'the proof key is not the key the access token is bound to (jkt)',
    );
  }
  // Live until its iat leaves the window; after that the iat check refuses it anyway.
  if (await options.replayCache.seen(`${jkt}:${claims.jti}`, claims.iat + skew)) {
    throw new DpopError('replayed_proof', `the proof jti ${claims.jti} was already used`);
  }
  return { jkt, jti: claims.jti, iat: claims.iat, jwk };
}
