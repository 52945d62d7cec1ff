import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import request from 'supertest';
import type { OperationEntry } from '@bund/specs';
import { ConsentStack, GATEWAY_URL } from '../support/consent-stack.js';
import {
  accountInformationRequest,
  authoriseInBrowser,
  consentApiTpp,
  inDays,
} from '../support/consent-api.js';
import type { ConsentApiTpp } from '../support/consent-api.js';
import { dpopKeys, dpopProof } from '../support/dpop-proof.js';
import { assertDocumented, fromFetch, operationsById } from '../support/spec-validation.js';

interface ConsentBody {
  data: {
    consentId: string;
    status: string;
    statusReason: string;
    accounts?: string[];
    history: { status: string; reason: string; actor: string; at: string }[];
    [member: string]: unknown;
  };
  links: { self: string };
}

describe('TPP consent API: /consents with a DPoP-bound client-credentials token', () => {
  let stack: ConsentStack;
  let a: ConsentApiTpp;
  let b: ConsentApiTpp;
  let operations: Map<string, OperationEntry>;
  const op = (id: string) => operations.get(id)!;

  /** A call as TPP `tpp` makes it by hand: its token and a fresh proof for exactly this call. */
  async function call(
    tpp: ConsentApiTpp,
    method: 'get' | 'post' | 'delete',
    path: string,
    init: { body?: string | object; contentType?: string } = {},
  ) {
    const url = `${stack.issuer}${path}`;
    const proof = await dpopProof(tpp.keys, method.toUpperCase(), url, tpp.token);
    const agent = request(stack.issuer);
    let req = agent[method](path).set('Authorization', `DPoP ${tpp.token}`).set('DPoP', proof);
    if (init.contentType) req = req.set('Content-Type', init.contentType);
    if (init.body !== undefined) req = req.send(init.body);
    return req;
  }

  /** Creates a consent through openid-client, as a TPP's own code would. */
  async function create(tpp: ConsentApiTpp, body: object = accountInformationRequest()) {
    const response = await tpp.client.callConsentApi(tpp.token, 'POST', '/consents', body);
    const res = await fromFetch(response);
    assertDocumented(op('createConsent'), res);
    assert.equal(res.status, 201, res.text);
    return { res, body: res.body as ConsentBody, location: response.headers.get('location') };
  }

  async function read(tpp: ConsentApiTpp, id: string) {
    const res = await fromFetch(
      await tpp.client.callConsentApi(tpp.token, 'GET', `/consents/${id}`),
    );
    assertDocumented(op('getConsent'), res);
    return res;
  }

  before(async function () {
    this.timeout(60_000);
    stack = await ConsentStack.start();
    a = await consentApiTpp(stack, stack.tpps.a);
    b = await consentApiTpp(stack, stack.tpps.b);
    operations = await operationsById();
  });
  after(async () => stack?.stop());

  it('issues the TPP a DPoP-bound token for the consent API by client credentials', async () => {
    const tokens = await a.client.clientCredentials();
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
    assert.equal(tokens.scope, 'consents');
  });

  describe('POST /consents', () => {
    it('creates a consent awaiting authorisation, with its Location and its first history entry', async () => {
      const asked = accountInformationRequest();
      const { body, location } = await create(a, asked);
      const consent = body.data;
      assert.equal(location, `/consents/${consent.consentId}`);
      assert.equal(body.links.self, location);
      assert.equal(consent.status, 'AwaitingAuthorisation');
      assert.equal(consent.statusReason, 'created');
      assert.equal(consent.type, 'account_information');
      assert.deepEqual(consent.permissions, asked.permissions);
      assert.equal(consent.expirationDateTime, new Date(asked.expirationDateTime).toISOString());
      assert.equal(consent.transactionFromDateTime, '2025-01-01T00:00:00.000Z');
      assert.equal(consent.transactionToDateTime, '2025-12-31T23:59:59.000Z');
      assert.equal(consent.accounts, undefined, 'no accounts before the customer chose them');
      assert.deepEqual(
        consent.history.map(({ status, reason, actor }) => ({ status, reason, actor })),
        [{ status: 'AwaitingAuthorisation', reason: 'created', actor: 'tpp' }],
      );
    });

    it('creates a credit data consent with its purpose', async () => {
      const { body } = await create(a, {
        type: 'credit_data_sharing',
        permissions: ['ReadEnterpriseProfile', 'ReadEnterpriseTaxGrades'],
        purpose: 'Working-capital loan application',
        expirationDateTime: inDays(30),
      });
      assert.equal(body.data.type, 'credit_data_sharing');
      assert.equal(body.data.purpose, 'Working-capital loan application');
      assert.equal(body.data.subject, undefined);
    });

    describe('refuses bad input with a problem naming it, and creates nothing', () => {
      let countBefore: number;
      const count = async () =>
        Number(((await stack.service.db('consents').count({ n: '*' })) as { n: number }[])[0]!.n);
      beforeEach(async () => {
        countBefore = await count();
      });
      afterEach(async () => {
        assert.equal(await count(), countBefore, 'a refused request created a consent');
      });

      const refused = async (
        body: string | object,
        status: number,
        code: string,
        parameter?: string,
        contentType = 'application/json',
      ) => {
        const res = await call(a, 'post', '/consents', { body, contentType });
        assertDocumented(op('createConsent'), res);
        assert.equal(res.status, status, res.text);
        assert.equal(res.body.code, code);
        // On the gateway's developer docs, not this service's origin (which has none).
        assert.equal(res.body.type, `${GATEWAY_URL}/docs/errors#${code}`);
        if (parameter)
          assert.deepEqual(
            res.body.errors.map((e: { parameter: string }) => e.parameter),
            [parameter],
          );
        return res.body as { detail: string };
      };

      it('malformed JSON: 400 malformed_body', async () => {
        await refused('{"type": "account_information",', 400, 'malformed_body');
      });
      it('not JSON: 415 unsupported_media_type', async () => {
        await refused(
          'type=account_information',
          415,
          'unsupported_media_type',
          undefined,
          'application/x-www-form-urlencoded',
        );
      });
      it('over 16 kB: 413 payload_too_large', async () => {
        const big = { ...accountInformationRequest(), padding: 'x'.repeat(17 * 1024) };
        await refused(big, 413, 'payload_too_large');
      });
      it('an unknown permission', async () => {
        const problem = await refused(
          { ...accountInformationRequest(), permissions: ['ReadAccountsBasic', 'ReadEverything'] },
          400,
          'invalid_parameter',
          '/permissions',
        );
        assert.match(problem.detail, /unknown for account_information: ReadEverything/);
      });
      it('a permission of the other consent type', async () => {
        await refused(
          { ...accountInformationRequest(), permissions: ['ReadEnterpriseProfile'] },
          400,
          'invalid_parameter',
          '/permissions',
        );
      });
      it('an expiry in the past', async () => {
        const problem = await refused(
          { ...accountInformationRequest(), expirationDateTime: inDays(-1) },
          400,
          'invalid_parameter',
          '/expirationDateTime',
        );
        assert.match(problem.detail, /must be in the future/);
      });
      it('an expiry beyond the maximum', async () => {
        const problem = await refused(
          { ...accountInformationRequest(), expirationDateTime: inDays(400) },
          400,
          'invalid_parameter',
          '/expirationDateTime',
        );
        assert.match(problem.detail, /at most 365 days/);
      });
      it('a transaction window that starts after it ends', async () => {
        await refused(
          {
            ...accountInformationRequest(),
            transactionFromDateTime: '2025-06-01T00:00:00Z',
            transactionToDateTime: '2025-01-01T00:00:00Z',
          },
          400,
          'invalid_parameter',
          '/transactionFromDateTime',
        );
      });
      it('an unknown member, a missing type and a date that is not a date', async () => {
        await refused(
          { ...accountInformationRequest(), accounts: ['acc-0001-01'] },
          400,
          'invalid_parameter',
          '/accounts',
        );
        await refused({ permissions: ['ReadBalances'] }, 400, 'invalid_parameter', '/type');
        await refused(
          { ...accountInformationRequest(), expirationDateTime: 'next year' },
          400,
          'invalid_parameter',
          '/expirationDateTime',
        );
      });
    });
  });

  describe('GET /consents/{consentId}', () => {
    it('reads the TPP its own consent', async () => {
      const { body: created } = await create(a);
      const res = await read(a, created.data.consentId);
      assert.equal(res.status, 200);
      assert.deepEqual((res.body as ConsentBody).data, created.data);
    });

    it('answers another TPP, and an unknown id, 404 alike', async () => {
      const { body: created } = await create(a);
      const id = created.data.consentId;
      const theirs = await read(b, id);
      const unknown = await read(b, '00000000-0000-4000-8000-000000000000');
      assert.equal(theirs.status, 404);
      assert.equal(unknown.status, 404);
      const shape = (body: unknown) => ({
        ...(body as Record<string, unknown>),
        detail: undefined,
        interactionId: undefined,
      });
      assert.deepEqual(shape(theirs.body), shape(unknown.body));
      assert.equal((theirs.body as { detail: string }).detail, `No consent ${id}.`);
    });
  });

  describe('a consent created here and authorised by the customer', () => {
    let consentId: string;
    let refreshToken: string;

    before(async function () {
      this.timeout(30_000);
      const { body } = await create(a);
      consentId = body.data.consentId;
      const tokens = await authoriseInBrowser(a, 'account_information', consentId);
      assert.equal(
        decodeJwt(tokens.access_token).consent_id,
        consentId,
        'the token names the same consent',
      );
      refreshToken = tokens.refresh_token!;
    });

    it('is Authorised with the same id, the chosen accounts and its history', async () => {
      const res = await read(a, consentId);
      const consent = (res.body as ConsentBody).data;
      assert.equal(consent.consentId, consentId);
      assert.equal(consent.status, 'Authorised');
      assert.equal(consent.statusReason, 'customer_authorised');
      assert.deepEqual(consent.accounts, ['acc-0001-01', 'acc-0001-03']);
      assert.deepEqual(
        consent.history.map(({ status, reason, actor }) => ({ status, reason, actor })),
        [
          { status: 'AwaitingAuthorisation', reason: 'created', actor: 'tpp' },
          { status: 'Authorised', reason: 'customer_authorised', actor: 'customer' },
        ],
      );
    });

    it('cannot be deleted by another TPP (404), and stays Authorised', async () => {
      const res = await call(b, 'delete', `/consents/${consentId}`);
      assertDocumented(op('deleteConsent'), res);
      assert.equal(res.status, 404);
      assert.equal((await stack.service.consents.store.find(consentId))!.status, 'Authorised');
    });

    it('is revoked by DELETE (tpp_revoked), which ends its tokens; a repeated DELETE changes nothing', async () => {
      const res = await call(a, 'delete', `/consents/${consentId}`);
      assertDocumented(op('deleteConsent'), res);
      assert.equal(res.status, 204);
      const after = (await read(a, consentId)).body as ConsentBody;
      assert.equal(after.data.status, 'Revoked');
      assert.equal(after.data.statusReason, 'tpp_revoked');
      assert.deepEqual(after.data.history.at(-1)!.actor, 'tpp');
      assert.deepEqual(after.data.accounts, ['acc-0001-01', 'acc-0001-03']);
      await assert.rejects(
        a.client.refresh(refreshToken),
        { error: 'invalid_grant' },
        'the refresh token still works',
      );

      const again = await call(a, 'delete', `/consents/${consentId}`);
      assert.equal(again.status, 204);
      const unchanged = (await read(a, consentId)).body as ConsentBody;
      assert.equal(unchanged.data.history.length, 3);
    });
  });

  describe('DELETE /consents/{consentId} before the customer decided', () => {
    it('rejects the consent (the lifecycle allows no Revoked before Authorised), and PAR no longer accepts it', async () => {
      const { body } = await create(a);
      const id = body.data.consentId;
      const res = await call(a, 'delete', `/consents/${id}`);
      assert.equal(res.status, 204);
      const after = (await read(a, id)).body as ConsentBody;
      assert.equal(after.data.status, 'Rejected');
      assert.equal(after.data.statusReason, 'tpp_revoked');
      await assert.rejects(
        a.client.pushAuthorizationRequest({
          authorizationDetails: [{ type: 'account_information', consent_id: id }],
          redirectUri: a.registration.redirectUri,
        }),
        {
          error: 'invalid_authorization_details',
          error_description: `consent ${id} is Rejected, not AwaitingAuthorisation`,
        },
      );
    });
  });

  describe('refuses calls without a valid token and proof with 401 and a DPoP challenge', () => {
    let id: string;
    before(async () => {
      id = (await create(a)).body.data.consentId;
    });
    const path = () => `/consents/${id}`;
    const url = () => `${stack.issuer}${path()}`;
    const refused = (res: request.Response, error: string | undefined, detail: RegExp) => {
      assertDocumented(op('getConsent'), res);
      assert.equal(res.status, 401, res.text);
      assert.equal(
        res.body.code,
        error === 'invalid_dpop_proof' ? 'invalid_dpop_proof' : 'invalid_token',
      );
      assert.match(res.body.detail, detail);
      const challenge = String(res.headers['www-authenticate']);
      assert.match(challenge, /^DPoP /);
      if (error) assert.match(challenge, new RegExp(`error="${error}"`));
      else assert.doesNotMatch(challenge, /error=/);
    };

    it('no Authorization header', async () => {
      const res = await request(stack.issuer).get(path());
      refused(res, undefined, /needs Authorization: DPoP/);
    });
    it('the token without a DPoP proof', async () => {
      const res = await request(stack.issuer).get(path()).set('Authorization', `DPoP ${a.token}`);
      refused(res, 'invalid_dpop_proof', /no DPoP proof/);
    });
    it('the token sent as a Bearer token', async () => {
      const proof = await dpopProof(a.keys, 'GET', url(), a.token);
      const res = await request(stack.issuer)
        .get(path())
        .set('Authorization', `Bearer ${a.token}`)
        .set('DPoP', proof);
      refused(res, 'invalid_token', /not Bearer/);
    });
    it('a proof for another URL', async () => {
      const proof = await dpopProof(a.keys, 'GET', `${stack.issuer}/consents`, a.token);
      const res = await request(stack.issuer)
        .get(path())
        .set('Authorization', `DPoP ${a.token}`)
        .set('DPoP', proof);
      refused(res, 'invalid_dpop_proof', /htu .* does not match the request URL/);
    });
    it('a replayed proof', async () => {
      const proof = await dpopProof(a.keys, 'GET', url(), a.token);
      const first = await request(stack.issuer)
        .get(path())
        .set('Authorization', `DPoP ${a.token}`)
        .set('DPoP', proof);
      assert.equal(first.status, 200);
      const second = await request(stack.issuer)
        .get(path())
        .set('Authorization', `DPoP ${a.token}`)
        .set('DPoP', proof);
      refused(second, 'invalid_dpop_proof', /already used/);
    });
    it('a proof signed by another key than the token is bound to', async () => {
      const proof = await dpopProof(await dpopKeys(), 'GET', url(), a.token);
      const res = await request(stack.issuer)
        .get(path())
        .set('Authorization', `DPoP ${a.token}`)
        .set('DPoP', proof);
      refused(res, 'invalid_dpop_proof', /not the key the access token is bound to/);
    });
    it('an unknown token', async () => {
      const proof = await dpopProof(a.keys, 'GET', url(), 'not-a-token');
      const res = await request(stack.issuer)
        .get(path())
        .set('Authorization', 'DPoP not-a-token')
        .set('DPoP', proof);
      refused(res, 'invalid_token', /unknown, expired or revoked/);
    });
  });

  it('answers an unknown query parameter with 400 and another method with 405', async () => {
    const { body } = await create(a);
    const url = `${stack.issuer}/consents/${body.data.consentId}?expand=all`;
    const proof = await dpopProof(a.keys, 'GET', url, a.token);
    const res = await request(stack.issuer)
      .get(`/consents/${body.data.consentId}?expand=all`)
      .set('Authorization', `DPoP ${a.token}`)
      .set('DPoP', proof);
    assertDocumented(op('getConsent'), res);
    assert.equal(res.body.code, 'unknown_parameter');
    const put = await request(stack.issuer).put(`/consents/${body.data.consentId}`).send({});
    assert.equal(put.status, 405);
    assert.equal(put.headers.allow, 'GET, DELETE');
    assert.equal(put.headers['content-type'], 'application/problem+json; charset=utf-8');
  });
});
