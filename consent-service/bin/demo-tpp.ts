/**
 * `npm run demo-tpp`: acts as the demo third-party provider against a running stack, as a real
 * TPP would. It pushes an authorization request (PAR, PKCE, DPoP, private_key_jwt,
 * authorization_details), prints the link for the customer, receives the code at its redirect
 * URI, exchanges it and prints the consent and accounts the token carries; then it refreshes
 * every few seconds until the refresh fails (for example after the customer revokes the
 * consent in the dashboard).
 *
 *   npm run demo-tpp                          # account information (the default)
 *   npm run demo-tpp -- credit_data_sharing   # enterprise or personal credit data
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { decodeJwt } from 'jose';
import { fetchProtectedResource } from 'openid-client';
import type { JWK } from 'jose';
import { loadConsentServiceConfig } from '../src/config.js';
import { generatedKeyFile } from '../src/oidc/clients.js';
import { createTppClient } from '../src/demo/tpp-client.js';

const CLIENT_ID = 'bund-demo-tpp';
const REDIRECT_URI = 'http://localhost:8765/callback';
const REFRESH_EVERY_MS = 5000;

const type = process.argv[2] ?? 'account_information';
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();
const details: Record<string, unknown[]> = {
  account_information: [
    {
      type: 'account_information',
      permissions: [
        'ReadAccountsBasic',
        'ReadAccountsDetail',
        'ReadBalances',
        'ReadTransactionsDetail',
        'ReadTransactionsCredits',
        'ReadTransactionsDebits',
      ],
      expirationDateTime: inDays(90),
      transactionFromDateTime: inDays(-365),
      transactionToDateTime: inDays(90),
    },
  ],
  credit_data_sharing: [
    {
      type: 'credit_data_sharing',
      permissions: [
        'ReadEnterpriseProfile',
        'ReadEnterpriseTaxGrades',
        'ReadEnterpriseInvoices',
        'ReadEnterpriseUtilityPayments',
      ],
      purpose: 'Assess an SME working-capital loan application',
      expirationDateTime: inDays(30),
    },
  ],
};
if (!details[type]) {
  console.error(`unknown consent type "${type}"; use account_information or credit_data_sharing`);
  process.exit(2);
}

/** Stops with a plain message: the person running the demo needs what to do, not a stack. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const config = loadConsentServiceConfig(process.env);
const keyFile = generatedKeyFile(config.dataDir, CLIENT_ID);
let privateJwk: JWK;
try {
  privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
} catch (error) {
  fail(
    `Cannot read the demo TPP's key at ${keyFile} (${(error as Error).message}). The consent ` +
      'service creates it at its first start: run `npm start` first, with the same DATA_DIR.',
  );
}
let tpp: Awaited<ReturnType<typeof createTppClient>>;
try {
  tpp = await createTppClient({ issuer: config.issuer, clientId: CLIENT_ID, privateJwk });
} catch (error) {
  fail(
    `The demo TPP could not set up with the consent service at ${config.issuer} ` +
      `(${(error as Error).message}): is the stack running (\`npm start\`)?`,
  );
}
type Checks = Awaited<ReturnType<typeof tpp.pushAuthorizationRequest>>['checks'];

/**
 * The link to print. A pushed request lives a minute at most, too short for a person to read
 * the terminal, switch to a browser and open it; so, as an app does when the customer taps
 * "connect", the request is pushed when the link is opened, and this link never goes stale.
 */
const START_URL = new URL('/start', REDIRECT_URI).href;
/** Where this command listens: its registered redirect URI's port. */
const CALLBACK_PORT = Number(new URL(REDIRECT_URI).port);
/** What each pushed request's callback is checked against, by its `state`. */
const pushed = new Map<string, Checks>();

const { callback, checks } = await new Promise<{ callback: URL; checks: Checks }>((resolve) => {
  const server = createServer((req, res) => {
    const received = new URL(req.url ?? '/', REDIRECT_URI);
    if (received.pathname === '/start') {
      tpp
        .pushAuthorizationRequest({
          authorizationDetails: details[type]!,
          redirectUri: REDIRECT_URI,
          scope: type === 'account_information' ? 'openid accounts' : 'openid credit_data',
        })
        .then(
          ({ url, checks: pushedChecks }) => {
            pushed.set(pushedChecks.expectedState, pushedChecks);
            res.writeHead(303, { location: url.href }).end();
          },
          (error: unknown) => {
            const message = `The consent service refused the pushed request: ${(error as Error).message}`;
            console.error(message);
            res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
          },
        );
      return;
    }
    if (received.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const forRequest = pushed.get(received.searchParams.get('state') ?? '');
    if (!forRequest) {
      res
        .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`Bund demo TPP: this answer is for no request of mine; open ${START_URL} again.\n`);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      .end('Bund demo TPP: you can close this tab and return to the terminal.\n');
    server.close();
    resolve({ callback: received, checks: forRequest });
  });
  server.once('error', (error: NodeJS.ErrnoException) => {
    fail(
      error.code === 'EADDRINUSE'
        ? `Port ${CALLBACK_PORT}, where this TPP receives the customer's answer (its registered redirect URI ${REDIRECT_URI}), is taken: is another demo-tpp still running? Stop it and try again.`
        : `Cannot receive the customer's answer at ${REDIRECT_URI}: ${error.message}`,
    );
  });
  server.listen(CALLBACK_PORT, 'localhost', () => {
    console.log(
      `\nOpen this link in a browser, log in as a demo customer (e.g. zhangwei / bund-demo-2026) and decide:\n\n  ${START_URL}\n`,
    );
  });
});

if (callback.searchParams.get('error')) {
  console.log(
    `The customer did not authorise: ${callback.searchParams.get('error')} — ${callback.searchParams.get('error_description') ?? ''}`,
  );
  process.exit(1);
}
const tokens = await tpp.exchangeCode(callback, checks);
const claims = decodeJwt(tokens.access_token);
const granted = (
  claims.authorization_details as { consent_id: string; accounts?: string[]; subject?: unknown }[]
)[0]!;
console.log('Token received (DPoP-bound access token, expires in', tokens.expires_in, 's)');
console.log('  consent:  ', claims.consent_id);
console.log('  customer: ', claims.sub);
if (granted.accounts) console.log('  accounts: ', granted.accounts.join(', '));
if (granted.subject) console.log('  subject:  ', JSON.stringify(granted.subject));

/** The access token calls use: the latest one the refreshes gave. */
let accessToken = tokens.access_token;

/** One call to the gateway with the token and a fresh DPoP proof, printed briefly. */
async function callGateway(pathAndQuery: string): Promise<unknown> {
  const response = await fetchProtectedResource(
    tpp.config,
    accessToken,
    new URL(pathAndQuery, config.gatewayUrl),
    'GET',
    undefined,
    undefined,
    {
      DPoP: tpp.dpop,
    },
  );
  const body = (await response.json()) as { data?: unknown; code?: string; detail?: string };
  const summary = response.ok
    ? Array.isArray(body.data)
      ? `${body.data.length} item(s)`
      : 'ok'
    : `${body.code}: ${body.detail}`;
  console.log(`  GET ${pathAndQuery.padEnd(52)} ${response.status}  ${summary}`);
  return body.data;
}

/** What this consent lets the TPP read, in the order it reads it. */
const calls: string[] = granted.accounts
  ? [
      '/accounts',
      `/accounts/${granted.accounts[0]}/balances`,
      `/accounts/${granted.accounts[0]}/transactions?limit=5`,
    ]
  : granted.subject && (granted.subject as { kind: string }).kind === 'enterprise'
    ? ['', '/tax-grades', '/invoice-summaries', '/utility-payments'].map(
        (resource) =>
          `/enterprises/${(granted.subject as { creditCode: string }).creditCode}${resource}`,
      )
    : ['/individuals/me/credit-summary'];

/** The calls in order, each printed; false when the gateway could not be reached. */
async function callAll(paths: string[]): Promise<boolean> {
  try {
    for (const path of paths) await callGateway(path);
    return true;
  } catch (error) {
    console.log(
      `  the gateway is not reachable (${(error as Error).message}); is the whole stack running?`,
    );
    return false;
  }
}

console.log(`\nCalling the gateway at ${config.gatewayUrl} with this token:`);
await callAll(calls);
console.log(
  `\nRefreshing every ${REFRESH_EVERY_MS / 1000} s; revoke the consent at ${config.issuer}/dashboard to see the refresh fail.`,
);

let refreshToken = tokens.refresh_token!;
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, REFRESH_EVERY_MS));
  try {
    const next = await tpp.refresh(refreshToken);
    refreshToken = next.refresh_token ?? refreshToken;
    accessToken = next.access_token;
    console.log(
      `${new Date().toISOString()}  refresh ok (consent ${String(decodeJwt(next.access_token).consent_id)})`,
    );
  } catch (error) {
    const { error: code, error_description: description } = error as {
      error?: string;
      error_description?: string;
    };
    console.log(
      `${new Date().toISOString()}  refresh failed: ${code ?? (error as Error).message}${description ? ` — ${description}` : ''}`,
    );
    // What the TPP's next call gets: the gateway says why (consent_revoked, consent_expired).
    console.log('\nThe last access token at the gateway now:');
    await callAll(calls.slice(0, 1));
    process.exit(0);
  }
}
