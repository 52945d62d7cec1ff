import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import {
  SignJWT,
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  importJWK,
} from 'jose';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { listenSlot } from '../support/bund-stack.js';
import type { BundStack, Slot } from '../support/bund-stack.js';
import { dpopKeys, dpopProof } from '../support/dpop-proof.js';
import {
  assertOk,
  assertProblem,
  backendsOf,
  grant,
  keyedTpp,
  send,
  sharedStack,
} from './harness.js';
import type { Backends, Grant, KeyedTpp } from './harness.js';

const CHALLENGE = 'DPoP algs="ES256 PS256"';
const tokenChallenge =
  /^DPoP error="invalid_token", error_description="[^"]+", algs="ES256 PS256"$/;
const proofChallenge =
  /^DPoP error="invalid_dpop_proof", error_description="[^"]+", algs="ES256 PS256"$/;

describe('The gateway at the door: routing, access tokens, DPoP proofs and bad input', () => {
  let stack: BundStack;
  let backends: Backends;
  let tpp: KeyedTpp;
  /** zhangwei's consent to tpp-a: accounts acc-0001-01 and acc-0001-03, every AIS permission. */
  let zhangwei: Grant;
  let gateway: string;

  before(async function () {
    this.timeout(60_000);
    stack = await sharedStack();
    backends = backendsOf(stack);
    tpp = await keyedTpp(stack);
    zhangwei = await grant(stack, tpp, [ACCOUNT_INFORMATION], {
      accounts: ['acc-0001-01', 'acc-0001-03'],
    });
    gateway = stack.gatewaySlot.url;
  });

  /** The refused call reached no backend; then the same TPP's valid call still works. */
  async function stillServes() {
    const before = backends.bank.count;
    const data = assertOk<{ id: string }>(
      await send(stack, '/accounts/acc-0001-01', { as: zhangwei }),
    );
    assert.equal(data.id, 'acc-0001-01');
    assert.equal(backends.bank.count, before + 1);
  }

  describe('routing: which API operation a request is', () => {
    it('answers GET /accounts/{accountId} for a consented account', async () => {
      const before = backends.bank.count;
      const response = await send(stack, '/accounts/acc-0001-03', { as: zhangwei });
      const data = assertOk<{ id: string; type: string }>(response);
      assert.deepEqual([data.id, data.type], ['acc-0001-03', 'credit_card']);
      assert.equal(backends.bank.count, before + 1);
      assert.equal(backends.bank.calls.at(-1)!.url, '/accounts/acc-0001-03');
    });

    it('carries the TPP’s interaction id to the bank and back, and makes one when it is not a UUID', async () => {
      const id = randomUUID();
      const response = await send(stack, '/accounts', {
        as: zhangwei,
        headers: { 'x-fapi-interaction-id': id },
      });
      assertOk(response);
      assert.equal(response.headers['x-fapi-interaction-id'], id);
      assert.equal(backends.bank.calls.at(-1)!.interactionId, id);
      const refused = await send(stack, '/accounts', {
        as: zhangwei,
        proof: false,
        headers: { 'x-fapi-interaction-id': id },
      });
      assertProblem(refused, 401, 'invalid_dpop_proof');
      assert.equal(refused.body.interactionId, id);
      const invented = await send(stack, '/accounts', {
        as: zhangwei,
        headers: { 'x-fapi-interaction-id': "abc'; DROP TABLE" },
      });
      assertOk(invented);
      assert.notEqual(invented.headers['x-fapi-interaction-id'], 'abc');
      assert.equal(
        backends.bank.calls.at(-1)!.interactionId,
        invented.headers['x-fapi-interaction-id'],
      );
    });

    it('refuses an unknown path with 404 not_found', async () => {
      for (const path of [
        '/accounts/acc-0001-01/standing-orders',
        '/payments',
        '/',
        '/accounts/',
      ]) {
        const response = await backends.untouched(() => send(stack, path, { as: zhangwei }));
        assertProblem(response, 404, 'not_found');
      }
    });

    it('refuses another method on a known path with 405 method_not_allowed and Allow', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const response = await backends.untouched(() =>
          send(stack, '/accounts/acc-0001-01/transactions', { method, as: zhangwei }),
        );
        assertProblem(response, 405, 'method_not_allowed');
        assert.equal(response.headers.allow, 'GET, HEAD');
      }
    });

    it('answers HEAD as GET without the body, under the same checks', async () => {
      const path = '/accounts/acc-0001-01/balances';
      const get = await send(stack, path, { as: zhangwei });
      const before = backends.bank.count;
      const head = await send(stack, path, { method: 'HEAD', as: zhangwei });
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
      assert.equal(backends.bank.count, before + 1);
      for (const name of ['content-type', 'content-length', 'cache-control'])
        assert.equal(head.headers[name], get.headers[name], name);
      assert.match(String(head.headers['x-fapi-interaction-id']), /^[0-9a-f-]{36}$/);
      // The proof names the method used: a GET proof does not do for HEAD.
      const getProof = await dpopProof(
        zhangwei.tpp.keys,
        'GET',
        `${gateway}${path}`,
        zhangwei.accessToken,
      );
      const refused = await backends.untouched(() =>
        send(stack, path, { method: 'HEAD', as: zhangwei, proof: getProof }),
      );
      assert.equal(refused.status, 401);
      // And not the account of another customer, either.
      const other = await backends.untouched(() =>
        send(stack, '/accounts/acc-0002-01/balances', { method: 'HEAD', as: zhangwei }),
      );
      assert.equal(other.status, 403);
    });

    it('refuses an invalid parameter with 400 invalid_parameter naming it', async () => {
      const cases: [string, string][] = [
        ['limit=0', 'limit'],
        ['limit=ten', 'limit'],
        ['fromBookingDate=2026-02-30', 'fromBookingDate'],
        ['creditDebitIndicator=Both', 'creditDebitIndicator'],
        ['cursor=..%2F..', 'cursor'],
      ];
      for (const [query, parameter] of cases) {
        const response = await backends.untouched(() =>
          send(stack, `/accounts/acc-0001-01/transactions?${query}`, { as: zhangwei }),
        );
        assertProblem(response, 400, 'invalid_parameter');
        assert.equal(
          (response.body.errors as { parameter: string }[])[0]!.parameter,
          parameter,
          query,
        );
      }
      // An enumeration's refusal lists what to send instead, as the spec spells it.
      const lowerCase = await backends.untouched(() =>
        send(stack, '/accounts/acc-0001-01/transactions?creditDebitIndicator=credit', {
          as: zhangwei,
        }),
      );
      assertProblem(lowerCase, 400, 'invalid_parameter', {
        detail: /^creditDebitIndicator: must be one of "Credit", "Debit"$/,
      });
      const valid = await send(stack, '/accounts/acc-0001-01/transactions?limit=3', {
        as: zhangwei,
      });
      assert.equal(assertOk<unknown[]>(valid).length, 3);
    });

    it('refuses an unknown query parameter with 400 unknown_parameter', async () => {
      for (const query of ['accountId=acc-0002-01', 'limit=5&debug=1', 'limit[gt]=5']) {
        const response = await backends.untouched(() =>
          send(stack, `/accounts/acc-0001-01/transactions?${query}`, { as: zhangwei }),
        );
        assertProblem(response, 400, 'unknown_parameter');
        assert.equal(
          (response.body.errors as { detail: string }[])[0]!.detail,
          'unknown parameter',
        );
      }
    });

    it('refuses a repeated query parameter with 400 invalid_parameter', async () => {
      const response = await backends.untouched(() =>
        send(stack, '/accounts/acc-0001-01/transactions?limit=5&limit=500', { as: zhangwei }),
      );
      assertProblem(response, 400, 'invalid_parameter', { detail: /^limit: must be given once/ });
    });

    it('refuses a body on an operation that takes none with 415, even 1 MB of it', async () => {
      for (const body of ['{"accounts":["acc-0002-01"]}', Buffer.alloc(1024 * 1024, 'a')]) {
        const response = await backends.untouched(() =>
          send(stack, '/accounts', {
            as: zhangwei,
            body,
            headers: { 'content-type': 'application/json' },
          }),
        );
        assertProblem(response, 415, 'unsupported_media_type');
      }
      await stillServes();
    });
  });

  describe('access token', () => {
    it('asks for a DPoP token with 401 when there is none', async () => {
      const response = await backends.untouched(() => send(stack, '/accounts'));
      assertProblem(response, 401, 'invalid_token', { wwwAuthenticate: CHALLENGE });
    });

    it('refuses a DPoP-bound token presented as Bearer with 401 invalid_token', async () => {
      const response = await backends.untouched(() =>
        send(stack, '/accounts', {
          headers: { authorization: `Bearer ${zhangwei.accessToken}` },
        }),
      );
      assertProblem(response, 401, 'invalid_token', { wwwAuthenticate: tokenChallenge });
    });

    it('refuses a token whose signature or claims were tampered with', async () => {
      const [header, payload, signature] = zhangwei.accessToken.split('.') as [
        string,
        string,
        string,
      ];
      const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
      const claims = decodeJwt(zhangwei.accessToken);
      const widened = base64url.encode(
        JSON.stringify({
          ...claims,
          authorization_details: [
            {
              ...(claims.authorization_details as object[])[0],
              accounts: ['acc-0001-01', 'acc-0002-01'],
            },
          ],
        }),
      );
      for (const token of [
        `${header}.${payload}.${flipped}`,
        `${header}.${widened}.${signature}`,
        `${header}.${payload}`,
        `${header}.${payload}.${signature}.${signature}.${signature}`,
        `${base64url.encode('{"alg":')}.${payload}.${signature}`,
        `${base64url.encode(JSON.stringify({ ...decodeProtectedHeader(zhangwei.accessToken), crit: ['exp'] }))}.${payload}.${signature}`,
        'not-a-jwt',
        '..',
      ]) {
        const response = await backends.untouched(() =>
          send(stack, '/accounts/acc-0002-01', { as: { ...zhangwei, accessToken: token } }),
        );
        assertProblem(response, 401, 'invalid_token', { wwwAuthenticate: tokenChallenge });
      }
      await stillServes();
    });

    it('refuses a token signed with a key not in the JWKS, or with alg none or HS256', async () => {
      const claims = decodeJwt(zhangwei.accessToken);
      const { kid } = decodeProtectedHeader(zhangwei.accessToken);
      const { privateKey } = await generateKeyPair('ES256');
      const forged = (headerKid: string | undefined) =>
        new SignJWT(claims)
          .setProtectedHeader({
            alg: 'ES256',
            typ: 'at+jwt',
            ...(headerKid ? { kid: headerKid } : {}),
          })
          .sign(privateKey);
      const unsigned = (alg: string, sign: (input: string) => string) => {
        const head = base64url.encode(JSON.stringify({ alg, typ: 'at+jwt', kid }));
        const body = base64url.encode(JSON.stringify(claims));
        return `${head}.${body}.${sign(`${head}.${body}`)}`;
      };
      const tokens = {
        'unknown kid': await forged('attacker-key'),
        'the real kid': await forged(kid),
        'no kid': await forged(undefined),
        'alg none': unsigned('none', () => ''),
        HS256: unsigned('HS256', (input) =>
          createHmac('sha256', 'guessed-secret').update(input).digest('base64url'),
        ),
      };
      for (const [what, token] of Object.entries(tokens)) {
        const response = await backends.untouched(() =>
          send(stack, '/accounts', { as: { ...zhangwei, accessToken: token } }),
        );
        assertProblem(response, 401, 'invalid_token', { wwwAuthenticate: tokenChallenge });
        assert.ok(response.body.detail, what);
      }
      await stillServes();
    });

    it('refuses a token signed by the issuer’s own key whose claims have the wrong shape', async () => {
      const claims = decodeJwt(zhangwei.accessToken);
      const key = stack.signingKeys.keys.find((k) => k.alg === 'ES256' && !k.retired)!;
      const signed = async (changes: Record<string, unknown>) =>
        new SignJWT({ ...claims, ...changes })
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
          .sign(await importJWK(key, 'ES256'));
      // The unchanged claims pass: what is refused below is the shape alone.
      assertOk(
        await send(stack, '/accounts', { as: { ...zhangwei, accessToken: await signed({}) } }),
      );
      const details = claims.authorization_details as object[];
      for (const [what, changes] of Object.entries({
        'client_id an object': { client_id: { id: claims.client_id } },
        'client_id a number': { client_id: 42 },
        'sub an array': { sub: [claims.sub] },
        'no cnf.jkt': { cnf: {} },
        'consent_id a number': { consent_id: 7 },
        'two authorization_details': { authorization_details: [...details, ...details] },
      })) {
        const response = await backends.untouched(async () =>
          send(stack, '/accounts', { as: { ...zhangwei, accessToken: await signed(changes) } }),
        );
        assertProblem(response, 401, 'invalid_token', { wwwAuthenticate: tokenChallenge });
        assert.ok(response.body.detail, what);
      }
      await stillServes();
    });

    it('refuses the consent service’s own tokens for another audience or use (ID token, consent API token)', async () => {
      assert.ok(zhangwei.idToken, 'the journey returned an ID token');
      assert.notEqual(decodeProtectedHeader(zhangwei.idToken).typ, 'at+jwt');
      // A DPoP-bound token of the same TPP and key, but for the consent API's audience.
      const consentApi = await tpp.client.clientCredentials();
      for (const token of [zhangwei.idToken, consentApi.access_token]) {
        const response = await backends.untouched(() =>
          send(stack, '/accounts', { as: { ...zhangwei, accessToken: token } }),
        );
        assertProblem(response, 401, 'invalid_token', { wwwAuthenticate: tokenChallenge });
      }
    });
  });

  describe('DPoP proof', () => {
    const proofOf = (claims: Record<string, unknown>) => ({ as: zhangwei, proof: claims });
    const url = (path: string) => `${gateway}${path}`;

    it('accepts a fresh proof for this method and URL, bound to the token', async () => {
      assertOk(await send(stack, '/accounts', { as: zhangwei }));
    });

    it('refuses a call without a proof with 401 invalid_dpop_proof', async () => {
      const response = await backends.untouched(() =>
        send(stack, '/accounts', { as: zhangwei, proof: false }),
      );
      assertProblem(response, 401, 'invalid_dpop_proof', {
        wwwAuthenticate: proofChallenge,
        detail: /^The request has no DPoP proof header\.$/,
      });
    });

    it('refuses a proof for another method, path or host', async () => {
      for (const claims of [
        { htm: 'POST' },
        { htu: url('/accounts/acc-0001-03') },
        { htu: 'http://bank.example/accounts/acc-0001-01' },
        { htu: url('/accounts/acc-0001-01').replace('localhost', '127.0.0.1') },
      ]) {
        const response = await backends.untouched(() =>
          send(stack, '/accounts/acc-0001-01', proofOf(claims)),
        );
        assertProblem(response, 401, 'invalid_dpop_proof', { wwwAuthenticate: proofChallenge });
      }
    });

    it('refuses a malformed proof, a second DPoP header and a proof that is not a DPoP proof', async () => {
      const proof = await dpopProof(tpp.keys, 'GET', url('/accounts'), zhangwei.accessToken);
      const [, body, signature] = proof.split('.') as [string, string, string];
      const header = (h: Record<string, unknown>) => base64url.encode(JSON.stringify(h));
      const proofs: (string | string[])[] = [
        'a.b.c',
        'x'.repeat(9000),
        [proof, proof],
        `${header({ alg: 'none', typ: 'dpop+jwt', jwk: tpp.keys.publicJwk })}.${body}.`,
        `${header({ alg: 'ES256', typ: 'JWT', jwk: tpp.keys.publicJwk })}.${body}.${signature}`,
        `${header({ alg: 'ES256', typ: 'dpop+jwt', jku: 'http://bank.example/jwks' })}.${body}.${signature}`,
        zhangwei.accessToken,
      ];
      for (const dpop of proofs) {
        const response = await backends.untouched(() =>
          send(stack, '/accounts', { as: zhangwei, proof: false, headers: { dpop } }),
        );
        assertProblem(response, 401, 'invalid_dpop_proof', { wwwAuthenticate: proofChallenge });
      }
      await stillServes();
    });

    it('refuses a proof whose claims hold what a header cannot, with a clean challenge', async () => {
      for (const claims of [
        { htm: 'GET\r\nX-Injected: 1' },
        { htm: '获取' },
        { htu: `${url('/accounts')}/€` },
        { htu: 'http://localhost\\"evil"/accounts' },
      ]) {
        const response = await backends.untouched(() => send(stack, '/accounts', proofOf(claims)));
        assertProblem(response, 401, 'invalid_dpop_proof', { wwwAuthenticate: proofChallenge });
        assert.equal(response.headers['x-injected'], undefined);
      }
    });

    it('refuses a stale proof and one from the future', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const iat of [now - 300, now + 300]) {
        const response = await backends.untouched(() => send(stack, '/accounts', proofOf({ iat })));
        assertProblem(response, 401, 'invalid_dpop_proof', { detail: /iat/ });
      }
    });

    it('accepts a proof once and refuses it replayed', async () => {
      const proof = await dpopProof(tpp.keys, 'GET', url('/accounts'), zhangwei.accessToken);
      assertOk(await send(stack, '/accounts', { as: zhangwei, proof }));
      const replay = await backends.untouched(() =>
        send(stack, '/accounts', { as: zhangwei, proof }),
      );
      assertProblem(replay, 401, 'invalid_dpop_proof', { detail: /already used/ });
    });

    it('refuses a proof signed by another key than the token is bound to', async () => {
      const thief = await dpopKeys();
      const proof = await dpopProof(thief, 'GET', url('/accounts'), zhangwei.accessToken);
      const response = await backends.untouched(() =>
        send(stack, '/accounts', { as: zhangwei, proof }),
      );
      assertProblem(response, 401, 'invalid_dpop_proof', { detail: /jkt/ });
    });

    it('refuses a proof without ath or with the hash of another token', async () => {
      for (const ath of [undefined, base64url.encode(randomUUID())]) {
        const response = await backends.untouched(() => send(stack, '/accounts', proofOf({ ath })));
        assertProblem(response, 401, 'invalid_dpop_proof', { detail: /ath/ });
      }
      await stillServes();
    });
  });

  describe('bad input: each answers 4xx, never 5xx, and the gateway keeps serving', () => {
    interface Case {
      name: string;
      path: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Exact status and code, or just 4xx (node itself answers some before the gateway sees them). */
      status?: number;
      code?: string;
    }
    const cases: Case[] = [
      {
        name: 'malformed JSON body',
        path: '/accounts',
        headers: { 'content-type': 'application/json' },
        body: '{"accounts": [',
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: '1 MB body',
        path: '/accounts/acc-0001-01/transactions',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.alloc(1024 * 1024, '['),
        status: 405,
        code: 'method_not_allowed',
      },
      ...[
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-16',
      ].map((type): Case => ({
        name: `body of type ${type}`,
        path: '/accounts',
        headers: { 'content-type': type },
        body: 'a=1',
        status: 415,
        code: 'unsupported_media_type',
      })),
      {
        name: 'path traversal with ..',
        path: '/accounts/../internal/customers/cus-0001',
        status: 404,
        code: 'not_found',
      },
      {
        name: 'path traversal with %2e%2e',
        path: '/accounts/%2e%2e/internal/customers/cus-0001',
        status: 404,
        code: 'not_found',
      },
      {
        name: 'path traversal with encoded slashes inside an id',
        path: '/accounts/%2e%2e%2finternal%2fcustomers%2fcus-0001',
        status: 403,
        code: 'account_not_consented',
      },
      {
        name: 'the backends’ internal API',
        path: '/internal/customers/cus-0001',
        status: 404,
        code: 'not_found',
      },
      {
        name: 'an encoded slash in an account id',
        path: '/accounts/acc-0001-01%2Fbalances',
        status: 403,
        code: 'account_not_consented',
      },
      {
        name: 'a 20 KB URL',
        path: `/accounts/acc-0001-01/transactions?cursor=${'a'.repeat(20 * 1024)}`,
      },
      {
        name: 'a 20 KB header',
        path: '/accounts',
        headers: { 'x-fapi-customer-ip-address': 'x'.repeat(20 * 1024) },
      },
      {
        name: 'invalid UTF-8 in the path',
        path: '/accounts/%C3%28',
        status: 404,
        code: 'not_found',
      },
      {
        name: 'invalid UTF-8 before a literal segment',
        path: '/accounts/%C3%28/balances',
        status: 404,
        code: 'not_found',
      },
      {
        name: 'invalid UTF-8 in the query',
        path: '/accounts/acc-0001-01/transactions?cursor=%C3%28',
        status: 400,
        code: 'invalid_parameter',
      },
      {
        name: 'a duplicated query parameter',
        path: '/accounts/acc-0001-01/transactions?creditDebitIndicator=Credit&creditDebitIndicator=Debit',
        status: 400,
        code: 'invalid_parameter',
      },
      {
        name: 'a NUL byte in an id',
        path: '/accounts/acc-0001-01%00',
        status: 403,
        code: 'account_not_consented',
      },
    ];
    for (const testCase of cases) {
      it(`answers ${testCase.status ?? '4xx'} to ${testCase.name}`, async () => {
        const response = await backends.untouched(() =>
          send(stack, testCase.path, {
            as: zhangwei,
            ...(testCase.method ? { method: testCase.method } : {}),
            ...(testCase.headers ? { headers: testCase.headers } : {}),
            ...(testCase.body ? { body: testCase.body } : {}),
          }),
        );
        if (testCase.status) assertProblem(response, testCase.status, testCase.code!);
        else assert.ok(response.status >= 400 && response.status < 500, response.text);
        await stillServes();
      });
    }

    describe('a request that names another host', () => {
      let decoy: Slot;
      let decoyCalls = 0;
      before(async () => {
        decoy = await listenSlot('127.0.0.1');
        const answer: RequestListener = (_req, res) => {
          decoyCalls++;
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
        };
        decoy.handler.current = answer;
      });
      after(async () => {
        decoy.server.closeAllConnections();
        await new Promise((resolve) => decoy.server.close(resolve));
      });

      it('still calls only the configured backend (absolute target, Host, X-Forwarded-Host, Forwarded)', async () => {
        const elsewhere = new URL(decoy.url).host;
        const before = backends.bank.count;
        const response = await send(stack, `http://${elsewhere}/accounts`, {
          as: zhangwei,
          proof: { htu: `${gateway}/accounts` },
          headers: {
            host: elsewhere,
            'x-forwarded-host': elsewhere,
            'x-forwarded-proto': 'https',
            forwarded: `host=${elsewhere};proto=http`,
          },
        });
        const data = assertOk<{ id: string }[]>(response);
        assert.deepEqual(data.map((a) => a.id).sort(), ['acc-0001-01', 'acc-0001-03']);
        assert.equal(backends.bank.count, before + 1);
        assert.equal(backends.bank.calls.at(-1)!.host, new URL(stack.bank.url).host);
        assert.equal(backends.bank.calls.at(-1)!.url, '/accounts');
        assert.equal(decoyCalls, 0, 'no other host was contacted');
      });

      it('refuses a proof made for the spoofed host: htu is the configured public URL', async () => {
        const elsewhere = new URL(decoy.url).host;
        const response = await backends.untouched(() =>
          send(stack, '/accounts', {
            as: zhangwei,
            proof: { htu: `http://${elsewhere}/accounts` },
            headers: { host: elsewhere, 'x-forwarded-host': elsewhere },
          }),
        );
        assertProblem(response, 401, 'invalid_dpop_proof');
        assert.equal(decoyCalls, 0);
      });
    });
  });
});
