import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { decodeJwt } from 'jose';
import { pino } from 'pino';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { BundStack } from '../support/bund-stack.js';

interface LogLine {
  level: number;
  msg: string;
  req?: { id: string; method: string; path: string };
  res?: { status: number };
  responseTime?: number;
  [field: string]: unknown;
}

describe('The gateway’s access log: one line per call, without credentials', () => {
  let stack: BundStack;
  const output: string[] = [];
  /** What TPPs sent the gateway in Authorization and DPoP headers: none of it may be logged. */
  const secrets = new Set<string>();
  const lines = () => output.map((line) => JSON.parse(line) as LogLine);
  const linesOf = (response: Response) =>
    lines().filter((line) => line.req?.id === response.headers.get('x-fapi-interaction-id'));

  before(async function () {
    this.timeout(60_000);
    stack = await BundStack.start({
      logger: pino(
        { level: 'info', base: { service: 'gateway' } },
        { write: (line: string) => output.push(line) },
      ),
    });
    const gateway = stack.gatewaySlot.handler.current;
    stack.gatewaySlot.handler.current = ((req, res) => {
      for (const name of ['authorization', 'dpop']) {
        const value = req.headers[name];
        if (typeof value === 'string') {
          secrets.add(value);
          // The token or proof alone, without the scheme.
          secrets.add(value.replace(/^DPoP /, ''));
        }
      }
      gateway(req, res);
    }) as RequestListener;
  });
  after(async () => stack?.stop());

  it('logs a served call with its interaction id, client, consent, operation, status, latency and backend', async () => {
    const tokens = await stack.tokensFor(
      stack.tpps.a,
      [{ ...ACCOUNT_INFORMATION, permissions: ['ReadAccountsBasic', 'ReadAccountsDetail'] }],
      { accounts: ['acc-0001-01'] },
    );
    const consentId = decodeJwt(tokens.access_token).consent_id;
    const response = await stack.call(stack.tpps.a, tokens.access_token, '/accounts/acc-0001-01');
    const body = (await response.json()) as { data: { identification?: string } };
    assert.equal(response.status, 200);
    const accountNumber = body.data.identification;
    assert.match(accountNumber ?? '', /^\d{15,19}$/, 'the full account number is in the body');

    const logged = linesOf(response);
    assert.equal(logged.length, 1, 'one line for the call');
    const [line] = logged as [LogLine];
    assert.equal(line.msg, 'request completed');
    assert.equal(line.service, 'gateway');
    assert.deepEqual(line.req, {
      id: response.headers.get('x-fapi-interaction-id'),
      method: 'GET',
      path: '/accounts/acc-0001-01',
    });
    assert.deepEqual(line.res, { status: 200 });
    assert.equal(typeof line.responseTime, 'number');
    assert.equal(line.operationId, 'getAccount');
    assert.equal(line.clientId, 'tpp-a');
    assert.equal(line.consentId, consentId);
    assert.equal(line.backend, 'mock-bank');
    assert.equal(line.upstreamStatus, 200);
    assert.equal(typeof line.upstreamMs, 'number');
    assert.equal(line.denial, undefined);

    const all = output.join('');
    assert.ok(!all.includes(accountNumber!), 'the account number is never logged');
  });

  it('logs a refused call with the reason, and no backend since none was called', async () => {
    const tokens = await stack.tokensFor(stack.tpps.b, [ACCOUNT_INFORMATION], {
      accounts: ['acc-0001-01'],
    });
    const response = await stack.call(stack.tpps.b, tokens.access_token, '/accounts/acc-0001-03');
    assert.equal(response.status, 403);
    const [line, ...more] = linesOf(response);
    assert.equal(more.length, 0, 'one line for the call');
    assert.equal(line!.res!.status, 403);
    assert.equal(line!.operationId, 'getAccount');
    assert.equal(line!.clientId, 'tpp-b');
    assert.equal(line!.denial, 'account');
    assert.equal(line!.backend, undefined);

    // A proof the gateway refuses: the caller is named from its verified token, the proof is not logged.
    const url = `${stack.gatewaySlot.url}/accounts`;
    const badProof = `${tokens.access_token.split('.')[0]}.not-a-proof.x`;
    const refused = await fetch(url, {
      headers: { authorization: `DPoP ${tokens.access_token}`, dpop: badProof },
    });
    assert.equal(refused.status, 401);
    const [proofLine, ...others] = linesOf(refused);
    assert.equal(others.length, 0);
    assert.equal(proofLine!.denial, 'dpop');
    assert.equal(proofLine!.clientId, 'tpp-b');
  });

  it('never logs an access token, a DPoP proof or an Authorization header', () => {
    assert.ok(secrets.size >= 4, 'tokens and proofs were sent');
    const all = output.join('');
    for (const secret of secrets) assert.ok(!all.includes(secret), 'a credential was logged');
    // No header by name, and nothing shaped like a JWT (base64url of `{"`).
    assert.doesNotMatch(all, /authorization|"dpop":|eyJ/i);
  });
});
