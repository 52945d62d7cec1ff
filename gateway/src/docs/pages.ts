import { DEMO_CUSTOMERS, DEMO_PASSWORD } from '@bund/service-kit';
import type { ErrorCode } from '@bund/service-kit';
import type { PermissionDefinition } from '@bund/specs';
import { ERROR_CATEGORIES, ERROR_GUIDE, OAUTH_ERRORS } from './error-guide.js';
import type { ErrorCategory } from './error-guide.js';
import { html } from '@bund/service-kit/html';
import type { SafeHtml } from '@bund/service-kit/html';
import { codeBlock, json } from './code-block.js';
import type { PortalSpec } from './spec-bundle.js';

/** What every page needs to know about this deployment. */
export interface PortalContext {
  /** The gateway's public URL: the base of every resource call and of DPoP `htu`. */
  gatewayUrl: string;
  /** The consent service's issuer: discovery, PAR, authorization, token, consent API. */
  issuer: string;
  specs: readonly PortalSpec[];
  permissions: ReadonlyMap<string, PermissionDefinition>;
  /** Where Swagger UI's files are served. */
  swaggerUiBase: string;
}

type Section = 'home' | 'guide' | 'errors' | `api:${string}`;

/** What each API is for, in a TPP's words; the specs' own `info.summary` follows it. */
const API_ROLES: Record<string, { label: string; consent: string }> = {
  accounts: { label: 'Account information', consent: 'account_information consent' },
  'credit-data': { label: 'Credit data', consent: 'credit_data_sharing consent' },
  consents: { label: 'Consent management', consent: 'client-credentials token, scope consents' },
};
/** The specs in the order a TPP meets them: data APIs first, then the consent API. */
export const orderSpecs = (specs: readonly PortalSpec[]): PortalSpec[] => {
  const rank = (spec: PortalSpec) => {
    const index = Object.keys(API_ROLES).indexOf(spec.name);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...specs].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
};
const roleOf = (spec: PortalSpec) =>
  API_ROLES[spec.name] ?? { label: spec.title, consent: 'see the reference' };

function layout(
  ctx: PortalContext,
  page: { title: string; section: Section; body: SafeHtml; swaggerUi?: PortalSpec },
): string {
  const nav = (href: string, label: string, section: Section) =>
    html`<a href="${href}" ${page.section === section ? html` aria-current="page"` : ''}
      >${label}</a
    >`;
  const swagger = page.swaggerUi;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Bund developer portal</title>
<meta name="description" content="Bund open-banking APIs for third-party providers: account information, credit data and consents.">
<link rel="icon" href="/docs/assets/favicon.svg" type="image/svg+xml">
${swagger ? html`<link rel="stylesheet" href="${ctx.swaggerUiBase}/swagger-ui.css" />` : ''}
<link rel="stylesheet" href="/docs/assets/portal.css">
</head>
<body${swagger ? html` class="reference"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <div class="bar">
    <a class="brand" href="/docs"><span class="mark" aria-hidden="true">B</span><span>Bund <em>Developers</em></span></a>
    <nav aria-label="Portal">
      ${nav('/docs', 'Overview', 'home')}
      ${nav('/docs/getting-started', 'Getting started', 'guide')}
      ${ctx.specs.map((spec) => nav(`/docs/api/${spec.name}`, roleOf(spec).label, `api:${spec.name}`))}
      ${nav('/docs/errors', 'Errors', 'errors')}
    </nav>
  </div>
</header>
<main id="main">
${page.body}
</main>
<footer class="site">
  <div class="bar">
    <p>Bund open-banking platform · Gateway <code>${ctx.gatewayUrl}</code> · Authorization server <code>${ctx.issuer}</code></p>
    <p>OpenAPI 3.1 · FAPI 2.0 Security Profile · RFC 9449 DPoP · RFC 9396 authorization details</p>
  </div>
</footer>
${
  swagger
    ? html`<script src="${ctx.swaggerUiBase}/swagger-ui-bundle.js"></script>
        <script src="/docs/assets/swagger-init.js"></script>`
    : ''
}
</body>
</html>
`.toString();
}

/** A path that may wrap after each `/` (narrow cards), never inside a segment. */
const pathOf = (route: string) =>
  route
    .split('/')
    .slice(1)
    .map((segment, i) => html`${i ? html`<wbr />` : ''}<span class="seg">/${segment}</span>`);

const methodBadge = (method: string) =>
  html`<span class="method ${method}">${method.toUpperCase()}</span>`;

function downloads(spec: PortalSpec): SafeHtml {
  return html`<a class="button ghost" href="/docs/specs/${spec.name}.yaml" download>YAML</a>
    <a class="button ghost" href="/docs/specs/${spec.name}.json" download>JSON</a>`;
}

/** `/docs`: what the APIs are, where to start, and every document to download. */
export function homePage(ctx: PortalContext): string {
  const cards = ctx.specs.map((spec) => {
    const role = roleOf(spec);
    return html`<article class="card api">
      <header>
        <p class="eyebrow">${role.label}</p>
        <h3><a href="/docs/api/${spec.name}">${spec.title}</a></h3>
        <p class="version">
          v${spec.version} · served by the
          ${spec.servedBy === 'gateway' ? 'gateway' : 'consent service'} · needs ${role.consent}
        </p>
      </header>
      <p>${spec.summary}</p>
      <ul class="operations">
        ${spec.operations.map(
          (op) =>
            html`<li>
              ${methodBadge(op.method)}<code>${pathOf(op.path)}</code><span>${op.summary}</span>
            </li>`,
        )}
      </ul>
      <div class="actions">
        <a class="button" href="/docs/api/${spec.name}">API reference</a>
        ${downloads(spec)}
      </div>
    </article>`;
  });
  const body = html`<section class="hero">
      <div class="bar">
        <p class="eyebrow">Open banking for third-party providers</p>
        <h1>Build on the bank’s data, with the customer’s consent</h1>
        <p class="lede">
          Bund’s APIs give licensed third-party providers (TPPs) read access to a customer’s
          accounts, balances and transactions, and to enterprise and personal credit data from the
          public data exchange — always under a consent the customer granted and can revoke at any
          time.
        </p>
        <div class="actions">
          <a class="button primary" href="/docs/getting-started">Get started</a>
          <a class="button light" href="/docs/errors">Error reference</a>
        </div>
      </div>
    </section>
    <div class="bar content">
      <section aria-labelledby="apis">
        <h2 id="apis">APIs</h2>
        <div class="cards">${cards}</div>
      </section>
      <section aria-labelledby="how">
        <h2 id="how">How a call works</h2>
        <ol class="steps">
          <li>
            <strong>Register</strong> your client with its public signing key and redirect URIs.
          </li>
          <li>
            <strong>Push</strong> an authorization request (PAR) that says what you need:
            <code>authorization_details</code> with permissions and an expiry, PKCE and a DPoP
            proof.
          </li>
          <li>
            <strong>Send the customer</strong> to the bank. They log in, choose accounts and
            approve.
          </li>
          <li>
            <strong>Exchange the code</strong> for a short-lived access token bound to your DPoP
            key, and a refresh token that lives as long as the consent.
          </li>
          <li>
            <strong>Call the API</strong> through the gateway at <code>${ctx.gatewayUrl}</code> with
            <code>Authorization: DPoP &lt;token&gt;</code> and a fresh <code>DPoP</code> proof per
            call.
          </li>
        </ol>
        <p><a href="/docs/getting-started">Read the step-by-step guide →</a></p>
      </section>
      <section aria-labelledby="downloads">
        <h2 id="downloads">Downloads</h2>
        <p>
          Each document is self-contained OpenAPI 3.1 (shared components copied in), with its
          <code>servers</code> set to this deployment. The <code>x-permissions</code>,
          <code>x-account-param</code> and <code>x-enterprise-param</code> extensions are the
          gateway’s published policy: they tell you which permissions each operation needs.
        </p>
        <div class="table">
          <table class="grid">
            <thead>
              <tr>
                <th scope="col">API</th>
                <th scope="col">Version</th>
                <th scope="col">Server</th>
                <th scope="col">Download</th>
              </tr>
            </thead>
            <tbody>
              ${ctx.specs.map(
                (spec) =>
                  html`<tr>
                    <th scope="row"><a href="/docs/api/${spec.name}">${spec.title}</a></th>
                    <td>${spec.version}</td>
                    <td><code>${spec.serverUrl}</code></td>
                    <td class="nowrap">${downloads(spec)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
    </div>`;
  return layout(ctx, { title: 'Overview', section: 'home', body });
}

/** `/docs/api/<name>`: Swagger UI, read-only (calls need DPoP proofs that a browser cannot make for you). */
export function apiReferencePage(ctx: PortalContext, spec: PortalSpec): string {
  const body = html`<div class="bar reference-head">
      <div>
        <p class="eyebrow">API reference · ${roleOf(spec).label}</p>
        <h1>${spec.title}</h1>
        <p class="note">
          Server <code>${spec.serverUrl}</code>. Every call needs
          <code>Authorization: DPoP &lt;token&gt;</code> and a fresh DPoP proof, so this reference
          does not send requests: see <a href="/docs/getting-started#call">calling an API</a>.
        </p>
      </div>
      <div class="actions">${downloads(spec)}</div>
    </div>
    <div id="swagger-ui" class="bar" data-spec-url="/docs/specs/${spec.name}.json">
      <p class="loading">Loading the ${spec.title} reference…</p>
    </div>`;
  return layout(ctx, {
    title: spec.title,
    section: `api:${spec.name}`,
    body,
    swaggerUi: spec,
  });
}

function errorTable(): SafeHtml {
  const categories = Object.keys(ERROR_CATEGORIES) as ErrorCategory[];
  const entries = Object.entries(ERROR_GUIDE) as [ErrorCode, (typeof ERROR_GUIDE)[ErrorCode]][];
  return html`<div class="table">
    <table class="grid errors">
      <thead>
        <tr>
          <th scope="col">code</th>
          <th scope="col">HTTP</th>
          <th scope="col">What it means</th>
          <th scope="col">What to do</th>
        </tr>
      </thead>
      ${categories.map(
        (category) =>
          html`<tbody>
            <tr class="group">
              <th colspan="4" scope="rowgroup">${ERROR_CATEGORIES[category]}</th>
            </tr>
            ${entries
              .filter(([, entry]) => entry.category === category)
              .map(
                ([code, entry]) =>
                  html`<tr id="${code}">
                    <td>
                      <a class="code" href="#${code}"><code>${code}</code></a>
                    </td>
                    <td class="status s${String(entry.status)[0]}">${entry.status}</td>
                    <td>${entry.meaning}</td>
                    <td>${entry.action}</td>
                  </tr>`,
              )}
          </tbody>`,
      )}
    </table>
  </div>`;
}

function oauthErrorTable(): SafeHtml {
  return html`<div class="table">
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">error</th>
          <th scope="col">Where</th>
          <th scope="col">What to do</th>
        </tr>
      </thead>
      <tbody>
        ${OAUTH_ERRORS.map(
          (e) =>
            html`<tr>
              <td><code>${e.error}</code></td>
              <td class="nowrap">${e.where}</td>
              <td>${e.action}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

const PROBLEM_EXAMPLE = `HTTP/1.1 403 Forbidden
Content-Type: application/problem+json; charset=utf-8
Cache-Control: no-store
x-fapi-interaction-id: 3f1c9a52-6d0e-4b8f-9a51-0c2d7e4b1a66

${json({
  type: '/docs/errors#permission_missing',
  title: 'Permission not granted',
  status: 403,
  code: 'permission_missing',
  detail:
    'getAccountBalances needs the permission ReadBalances, which this consent does not grant.',
  interactionId: '3f1c9a52-6d0e-4b8f-9a51-0c2d7e4b1a66',
})}`;

/** `/docs/errors`: every error code, where problem bodies' `type` points. */
export function errorsPage(ctx: PortalContext): string {
  const body = html`<div class="bar content narrow">
    <p class="eyebrow">Reference</p>
    <h1>Errors</h1>
    <p class="lede">
      Every resource API answers errors as <code>application/problem+json</code> (RFC 9457). Switch
      on <code>code</code>: it is stable, and a published code keeps its meaning.
      <code>detail</code> is for people and may change. <code>type</code> links to the code’s row
      below; <code>interactionId</code> is the call’s <code>x-fapi-interaction-id</code> — quote it
      when you contact support.
    </p>
    ${codeBlock(PROBLEM_EXAMPLE, 'http')}
    <p>
      401 answers also carry a
      <code>WWW-Authenticate: DPoP error="…", error_description="…", algs="ES256 PS256"</code>
      challenge (RFC 9449), and 429 and 503 answers a <code>Retry-After</code> in seconds.
    </p>
    <h2 id="codes">Error codes</h2>
    ${errorTable()}
    <h2 id="oauth">OAuth errors</h2>
    <p>
      The authorization server’s endpoints (PAR, token) answer in OAuth’s format,
      <code>{"error": "…", "error_description": "…"}</code>, and the authorization endpoint returns
      errors to your <code>redirect_uri</code>.
    </p>
    ${oauthErrorTable()}
  </div>`;
  return layout(ctx, { title: 'Errors', section: 'errors', body });
}

/** A date `days` from now at midnight UTC, as the examples use. */
function daysFromNow(days: number, now: Date): string {
  const date = new Date(now.getTime() + days * 86_400_000);
  return `${date.toISOString().slice(0, 10)}T00:00:00Z`;
}

/** The `200` example of an operation, from the spec, so the guide shows what the API answers. */
function exampleOf(spec: PortalSpec | undefined, route: string): unknown {
  const operation = spec?.document.paths?.[route]?.get as
    | {
        responses?: Record<
          string,
          {
            content?: Record<
              string,
              { example?: unknown; examples?: Record<string, { value: unknown }> }
            >;
          }
        >;
      }
    | undefined;
  const media = operation?.responses?.['200']?.content?.['application/json'];
  return media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
}

/** Schema properties that carry their own `x-permissions`: removed unless granted. */
function fieldPermissions(value: unknown, found: Map<string, Set<string>>): void {
  if (Array.isArray(value)) value.forEach((item) => fieldPermissions(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'properties' && item && typeof item === 'object') {
        for (const [property, schema] of Object.entries(item)) {
          for (const permission of (schema as { 'x-permissions'?: string[] })['x-permissions'] ??
            []) {
            found.set(permission, (found.get(permission) ?? new Set()).add(property));
          }
        }
      }
      if (key !== 'example' && key !== 'examples') fieldPermissions(item, found);
    }
  }
}

/** What a permission without operations of its own does (the gateway's direction filter). */
const PERMISSION_NOTES: Record<string, string> = {
  ReadTransactionsCredits: 'which transactions listAccountTransactions returns',
  ReadTransactionsDebits: 'which transactions listAccountTransactions returns',
};

function permissionsTable(ctx: PortalContext): SafeHtml {
  const neededBy = new Map<string, string[]>();
  const fields = new Map<string, Set<string>>();
  for (const spec of ctx.specs) {
    fieldPermissions(spec.document, fields);
    for (const op of spec.operations) {
      for (const permission of op.permissions) {
        neededBy.set(permission, [...(neededBy.get(permission) ?? []), op.operationId]);
      }
    }
  }
  const all = [...ctx.permissions.values()];
  const types = [...new Set(all.map((p) => p.consentType))];
  const uses = (p: PermissionDefinition) => [
    ...(neededBy.get(p.name) ?? []).map((id) => html`<code>${id}</code>`),
    ...[...(fields.get(p.name) ?? [])].map((field) => html`field <code>${field}</code>`),
    ...(PERMISSION_NOTES[p.name] ? [html`${PERMISSION_NOTES[p.name]}`] : []),
  ];
  return html`<div class="table">
    <table class="grid permissions">
      <thead>
        <tr>
          <th scope="col">Permission</th>
          <th scope="col">What the customer sees</th>
          <th scope="col">Used by</th>
        </tr>
      </thead>
      ${types.map(
        (type) =>
          html`<tbody>
            <tr class="group">
              <th colspan="3" scope="rowgroup"><code>${type}</code></th>
            </tr>
            ${all
              .filter((p) => p.consentType === type)
              .map(
                (p) =>
                  html`<tr>
                    <td>
                      <code>${p.name}</code
                      >${p.implies.length ? html`<div class="small">implies ${p.implies.join(', ')}</div>` : ''}
                    </td>
                    <td>
                      ${p.text.en}
                      <div class="small" lang="zh">${p.text.zh}</div>
                    </td>
                    <td class="uses">${uses(p).map((use, i) => (i ? html`<br />${use}` : use))}</td>
                  </tr>`,
              )}
          </tbody>`,
      )}
    </table>
  </div>`;
}

/** `/docs/getting-started`: from registration to the first call, for this deployment. */
export function gettingStartedPage(ctx: PortalContext, now = new Date()): string {
  const { gatewayUrl, issuer } = ctx;
  const accounts = ctx.specs.find((spec) => spec.name === 'accounts');
  const accountInformation = {
    type: 'account_information',
    permissions: [
      'ReadAccountsBasic',
      'ReadBalances',
      'ReadTransactionsDetail',
      'ReadTransactionsCredits',
      'ReadTransactionsDebits',
    ],
    expirationDateTime: daysFromNow(90, now),
    transactionFromDateTime: daysFromNow(-365, now),
    transactionToDateTime: daysFromNow(90, now),
  };
  const creditDataSharing = {
    type: 'credit_data_sharing',
    permissions: [
      'ReadEnterpriseProfile',
      'ReadEnterpriseTaxGrades',
      'ReadEnterpriseInvoices',
      'ReadEnterpriseUtilityPayments',
    ],
    purpose: 'Assess an SME working-capital loan application',
    expirationDateTime: daysFromNow(30, now),
  };
  const registration = {
    client_id: 'acme-budget',
    client_name: 'Acme Budgeting',
    'client_name#zh': 'Acme 记账',
    redirect_uris: ['https://app.acme.example/bund/callback'],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    authorization_details_types: ['account_information', 'credit_data_sharing'],
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
          kid: 'acme-2026-01',
          alg: 'ES256',
          use: 'sig',
        },
      ],
    },
  };
  const par = `POST ${issuer}/request
Content-Type: application/x-www-form-urlencoded
DPoP: eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7…   (htm POST, htu ${issuer}/request)

response_type=code
&client_id=acme-budget
&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
&client_assertion=eyJhbGciOiJFUzI1NiIsImtpZCI6ImFjbWUtMjAyNi0wMSJ9…
&redirect_uri=https://app.acme.example/bund/callback
&scope=openid accounts
&state=q3VhO1BpcX6bZc8YH5dYfA
&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
&code_challenge_method=S256
&authorization_details=[{"type":"account_information","permissions":[…],"expirationDateTime":"…"}]`;
  const parResponse = `HTTP/1.1 201 Created
Content-Type: application/json

${json({ request_uri: 'urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c', expires_in: 60 })}`;
  const tokenRequest = `POST ${issuer}/token
Content-Type: application/x-www-form-urlencoded
DPoP: eyJ0eXAiOiJkcG9wK2p3dCIs…   (same DPoP key; htm POST, htu ${issuer}/token)

grant_type=authorization_code
&code=SplxlOBeZQQYbYS6WxSbIA
&redirect_uri=https://app.acme.example/bund/callback
&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk
&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
&client_assertion=eyJhbGciOiJFUzI1NiIs…`;
  const granted = {
    type: 'account_information',
    consent_id: '5b0f7c1e-3d2a-4c8e-9f61-2a7d0b4e8c93',
    permissions: accountInformation.permissions,
    expirationDateTime: accountInformation.expirationDateTime.replace('Z', '.000Z'),
    accounts: ['acc-0001-01', 'acc-0001-03'],
    transactionFromDateTime: accountInformation.transactionFromDateTime.replace('Z', '.000Z'),
    transactionToDateTime: accountInformation.transactionToDateTime.replace('Z', '.000Z'),
  };
  const tokenResponse = `HTTP/1.1 200 OK
Content-Type: application/json; charset=utf-8
Cache-Control: no-store

${json({
  access_token: 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6…',
  token_type: 'DPoP',
  expires_in: 300,
  refresh_token: 'gQ8mN2kV…',
  id_token: 'eyJhbGciOiJFUzI1NiIs…',
  scope: 'accounts',
  authorization_details: [granted],
})}`;
  const proofHeader = {
    typ: 'dpop+jwt',
    alg: 'ES256',
    jwk: {
      kty: 'EC',
      crv: 'P-256',
      x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs',
      y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA',
    },
  };
  // The call shown is the spec's own example of reading balances (whatever account it shows).
  const balances = exampleOf(accounts, '/accounts/{accountId}/balances') as
    { data?: { accountId?: string } } | undefined;
  const callPath = `/accounts/${balances?.data?.accountId ?? 'acc-0001-01'}/balances`;
  const proofPayload = {
    htm: 'GET',
    htu: `${gatewayUrl}${callPath}`,
    iat: Math.floor(now.getTime() / 1000),
    jti: 'e1j3V_bKic8-LAEB',
    ath: 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
  };
  const call = `GET ${gatewayUrl}${callPath}
Authorization: DPoP eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6…
DPoP: eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7…
x-fapi-interaction-id: 3f1c9a52-6d0e-4b8f-9a51-0c2d7e4b1a66`;
  const callResponse = `HTTP/1.1 200 OK
Content-Type: application/json; charset=utf-8
Cache-Control: no-store
x-fapi-interaction-id: 3f1c9a52-6d0e-4b8f-9a51-0c2d7e4b1a66

${json(balances ?? { data: '…' })}`;
  const openidClient = `// bund-quickstart.mjs: an ES module (import, top-level await).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import * as client from 'openid-client';
import { importJWK } from 'jose';

const gatewayUrl = '${gatewayUrl}';
// The sandbox's demo client. With your own registration: your client_id and redirect_uri.
const clientId = 'bund-demo-tpp';
const redirectUri = 'http://localhost:8765/callback';
// Your registered signing key as a PRIVATE JWK with kid and alg, kept secret. The demo client's
// is generated by the consent service at DATA_DIR/secrets/bund-demo-tpp.private.jwk.json
// (DATA_DIR is the Bund checkout's data/ by default); yours is acme-signing.private.jwk.json.
const signingJwk = JSON.parse(
  readFileSync('/path/to/bund/data/secrets/bund-demo-tpp.private.jwk.json', 'utf8'),
);
const key = await importJWK(signingJwk, signingJwk.alg);
const config = await client.discovery(
  new URL('${issuer}'),
  clientId,
  { token_endpoint_auth_signing_alg: signingJwk.alg },
  client.PrivateKeyJwt({ key, kid: signingJwk.kid }),
  // Only for the http:// sandbox; production is https.
  { execute: [client.allowInsecureRequests] },
);
// The DPoP key: yours alone, never registered. Keep it as long as the refresh token.
const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));

// 3. Push the authorization request, then send the customer to \`url\`.
const pkceCodeVerifier = client.randomPKCECodeVerifier();
const expectedState = client.randomState();
// The authorization detail of step 3: what the customer is asked to share.
const accountInformation = ${JSON.stringify(accountInformation, null, 2)};
const url = await client.buildAuthorizationUrlWithPAR(
  config,
  {
    redirect_uri: redirectUri,
    scope: 'openid accounts',
    state: expectedState,
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    authorization_details: JSON.stringify([accountInformation]),
  },
  { DPoP: dpop },
);

// 4. The customer logs in and decides, then the browser goes to your redirect_uri with the
// code. Your web app receives that request; here, nothing listens on localhost:8765, so copy
// the address from the browser's address bar (within 60 s: the code is short-lived).
console.log(\`Open this within 60 s, log in as zhangwei / bund-demo-2026: \${url.href}\`);
const prompt = createInterface({ input: process.stdin, output: process.stdout });
const callbackRequestUrl = await prompt.question('The address the browser went to: ');
prompt.close();
// Check state and iss, redeem the code.
const tokens = await client.authorizationCodeGrant(
  config,
  new URL(callbackRequestUrl),
  { pkceCodeVerifier, expectedState },
  undefined,
  { DPoP: dpop },
);
const [granted] = tokens.authorization_details; // consent_id, permissions, accounts …

// 5. Call the gateway: openid-client makes a fresh proof (htm, htu, iat, jti, ath) per call.
const response = await client.fetchProtectedResource(
  config,
  tokens.access_token,
  new URL(\`/accounts/\${granted.accounts[0]}/balances\`, gatewayUrl),
  'GET',
  undefined,
  undefined,
  { DPoP: dpop },
);

// Lists are paginated: links.next is relative (/accounts/…?…&cursor=…), so resolve it.
let page = new URL(\`/accounts/\${granted.accounts[0]}/transactions\`, gatewayUrl);
while (page) {
  const pageResponse = await client.fetchProtectedResource(
    config, tokens.access_token, page, 'GET', undefined, undefined, { DPoP: dpop },
  );
  if (!pageResponse.ok) throw new Error(await pageResponse.text()); // a problem+json body
  const { data, links } = await pageResponse.json();
  // … use data …
  page = links.next ? new URL(links.next, gatewayUrl) : undefined;
}

// Later: a new access token (every 5 minutes) with the same DPoP key.
const next = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP: dpop });`;
  const consentApi = `# a client-credentials token for the consent API
POST ${issuer}/token
grant_type=client_credentials&scope=consents&resource=${issuer}/consents
(+ client assertion and a DPoP proof)

# create the consent: the body is the authorization detail above
POST ${issuer}/consents
→ 201 {"data": {"consentId": "5b0f7c1e-…", "status": "AwaitingAuthorisation", …}}

# then push: authorization_details=[{"type": "account_information", "consent_id": "5b0f7c1e-…"}]

GET    ${issuer}/consents/5b0f7c1e-…   its status and history
DELETE ${issuer}/consents/5b0f7c1e-…   withdraw it when you no longer need the data`;
  const keygen = `# ES256 (P-256): a signing key for private_key_jwt, PKCS#8 PEM
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out acme-signing.pem
# or PS256: an RSA key of at least 2048 bits
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out acme-signing.pem

# its JWKs (Node.js with jose; ALG=PS256 for the RSA key): prints the public one, for your
# registration; writes the private one (same kid and alg), which your code signs with
ALG=ES256 node -e "import('jose').then(async ({ importPKCS8, exportJWK }) => {
  const fs = require('fs');
  const pem = fs.readFileSync('acme-signing.pem', 'utf8');
  const key = await importPKCS8(pem, process.env.ALG, { extractable: true });
  const jwk = { ...(await exportJWK(key)), kid: 'acme-2026-01', alg: process.env.ALG, use: 'sig' };
  fs.writeFileSync('acme-signing.private.jwk.json', JSON.stringify(jwk), { mode: 0o600 });
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  console.log(JSON.stringify(pub));
})"`;
  const clientAssertion = {
    iss: 'acme-budget',
    sub: 'acme-budget',
    aud: issuer,
    jti: 'b5Zt2Q0e7iJdQ6v8',
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(now.getTime() / 1000) + 60,
  };
  const accessTokenClaims = {
    iss: issuer,
    sub: 'cus-0001',
    aud: gatewayUrl,
    client_id: 'acme-budget',
    scope: 'accounts',
    consent_id: granted.consent_id,
    authorization_details: [granted],
    cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' },
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(now.getTime() / 1000) + 300,
  };
  const toc: [string, string][] = [
    ['overview', 'The flow'],
    ['register', '1. Register a client'],
    ['keys', '2. Keys'],
    ['authorize', '3. Ask for consent (PAR)'],
    ['tokens', '4. Tokens'],
    ['call', '5. Call an API'],
    ['errors', '6. Errors'],
    ['sandbox', '7. The sandbox'],
    ['code', 'All of it in code'],
  ];
  const sme = DEMO_CUSTOMERS.filter((c) => c.kind === 'sme');
  const body = html`<div class="bar guide">
    <aside class="toc" aria-label="On this page">
      <p class="toc-title">Getting started</p>
      <ol>
        ${toc.map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`)}
      </ol>
    </aside>
    <article class="prose">
      <p class="eyebrow">Guide for TPP developers</p>
      <h1>Getting started</h1>
      <p class="lede">
        From a registered client to your first call through the gateway. The examples use this
        deployment: the authorization server (issuer) <code>${issuer}</code> and the gateway
        <code>${gatewayUrl}</code>.
      </p>

      <section id="overview">
        <h2>The flow</h2>
        <p>
          Bund is a FAPI 2.0 authorization server in front of the bank’s data. Every TPP uses the
          same pieces:
        </p>
        <ul>
          <li>
            <strong>private_key_jwt</strong> client authentication (no client secrets) with an ES256
            or PS256 key;
          </li>
          <li>
            <strong>pushed authorization requests</strong> (PAR, RFC 9126): the authorization
            endpoint accepts only a <code>request_uri</code> you pushed;
          </li>
          <li><strong>PKCE</strong> with <code>S256</code>, always;</li>
          <li>
            <strong>authorization_details</strong> (RFC 9396) that describe the consent: its type,
            permissions and expiry;
          </li>
          <li>
            <strong>DPoP</strong> (RFC 9449): access tokens are bound to a key you hold and useless
            without a proof signed by it.
          </li>
        </ul>
        <p>
          Discovery:
          <a href="${issuer}/.well-known/openid-configuration"
            ><code>${issuer}/.well-known/openid-configuration</code></a
          >. Its endpoints are <code>${issuer}/request</code> (PAR),
          <code>${issuer}/auth</code> (authorization), <code>${issuer}/token</code>,
          <code>${issuer}/token/revocation</code> and <code>${issuer}/jwks</code>.
        </p>
      </section>

      <section id="register">
        <h2>1. Register a client</h2>
        <p>
          A client is registered by the bank’s operators: an entry in the consent service’s clients
          file (<code>consent-service/config/clients.json</code>, or the file
          <code>CLIENTS_FILE</code> names), read when the consent service starts. Send them:
        </p>
        <ul>
          <li>
            <code>client_name</code> (and <code>client_name#zh</code>): what customers see on the
            consent screen and in their dashboard;
          </li>
          <li><code>redirect_uris</code>: matched exactly (https in production);</li>
          <li>
            <code>jwks</code>: the <em>public</em> key(s) you sign client assertions with, each with
            a <code>kid</code>;
          </li>
          <li>
            <code>authorization_details_types</code>: <code>account_information</code>,
            <code>credit_data_sharing</code> or both;
          </li>
          <li>
            <code>grant_types</code>: <code>authorization_code</code> and
            <code>refresh_token</code>, plus <code>client_credentials</code> if you use the consent
            API;
          </li>
          <li>
            <code>token_endpoint_auth_signing_alg</code>: <code>ES256</code> (the default) or
            <code>PS256</code>.
          </li>
        </ul>
        <p>
          Every client gets <code>token_endpoint_auth_method: private_key_jwt</code>,
          <code>response_types: ["code"]</code> and DPoP-bound access tokens; these cannot be
          changed.
        </p>
        ${codeBlock(json(registration), 'json')}
        <p class="callout">
          The sandbox’s demo client is <code>bund-demo-tpp</code> (“Bund Demo Budgeting”), redirect
          URI <code>http://localhost:8765/callback</code>, both consent types. Its ES256 key is
          generated on the first start and kept at
          <code>DATA_DIR/secrets/bund-demo-tpp.private.jwk.json</code> (<code>./data/secrets/</code>
          by default).
        </p>
      </section>

      <section id="keys">
        <h2>2. Keys</h2>
        <p>You hold two kinds of key. Never send a private key anywhere.</p>
        <dl class="defs">
          <dt>Signing key (registered)</dt>
          <dd>
            ES256 (P-256) or PS256 (RSA, 2048 bits or more). It signs the
            <strong>client assertion</strong> you send to the PAR and token endpoints instead of a
            secret. Its public JWK goes in your registration; to rotate, register the new key (new
            <code>kid</code>) next to the old one first.
          </dd>
          <dt>DPoP key (not registered)</dt>
          <dd>
            A separate ES256 or PS256 key pair that you generate yourself. Its public key travels in
            every DPoP proof’s header; the access token is bound to its thumbprint
            (<code>cnf.jkt</code>). Use one per customer connection (or per installation) and keep
            it for as long as the refresh token: tokens cannot be used or refreshed without it.
          </dd>
        </dl>
        ${codeBlock(keygen, 'shell')}
        <p>
          The client assertion is a JWT signed with the signing key (header <code>alg</code> and
          <code>kid</code>), sent as <code>client_assertion</code> with
          <code>client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer</code>.
          Its <code>aud</code> must be exactly the issuer (a string, not an endpoint URL), it may
          live at most 300 seconds, and each <code>jti</code> is used once:
        </p>
        ${codeBlock(json(clientAssertion), 'json')}
      </section>

      <section id="authorize">
        <h2>3. Ask for consent: a pushed authorization request</h2>
        <p>
          Describe the consent in <code>authorization_details</code> — exactly one entry per request
          — and push it with PKCE and a DPoP proof. Pushing with a DPoP proof binds the
          authorization code to your DPoP key.
        </p>
        <h3>Account information</h3>
        <p>
          Scope <code>openid accounts</code>. <code>expirationDateTime</code> must be in the future
          and at most 365 days away. <code>transactionFromDateTime</code> /
          <code>transactionToDateTime</code> (optional) bound which transactions you may read; the
          gateway narrows every query to this window. A transaction permission (<code
            >ReadTransactionsBasic</code
          >
          or <code>ReadTransactionsDetail</code>) goes with
          <code>ReadTransactionsCredits</code> and/or <code>ReadTransactionsDebits</code>, and
          neither side makes sense alone.
        </p>
        ${codeBlock(json([accountInformation]), 'json')}
        <h3>Credit data</h3>
        <p>
          Scope <code>openid credit_data</code>. <code>purpose</code> (1–200 characters) is shown to
          the customer; consents last at most 365 days. The customer’s login decides the subject: an
          SME customer shares their enterprise (its credit code is in the granted detail’s
          <code>subject</code>), a retail customer their personal credit summary
          (<code>ReadPersonalCreditSummary</code>).
        </p>
        ${codeBlock(json([creditDataSharing]), 'json')}
        <h3>Permissions</h3>
        <p>
          One vocabulary for every API; an operation’s <code>x-permissions</code> in the reference
          names what it needs. Ask only for what your service uses: the customer sees every
          permission in plain language.
        </p>
        ${permissionsTable(ctx)}
        <h3>The request</h3>
        <p>
          Shown decoded, one parameter per line; send it
          <code>application/x-www-form-urlencoded</code>. <code>code_challenge</code> is
          <code>base64url(SHA-256(code_verifier))</code> for a fresh random
          <code>code_verifier</code> you keep for the token request.
        </p>
        ${codeBlock(par, 'http')} ${codeBlock(parResponse, 'http')}
        <p>
          Then send the customer’s browser to
          <code
            >${issuer}/auth?client_id=acme-budget&amp;request_uri=urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c</code
          >
          within <code>expires_in</code> seconds. They log in at the bank, choose the accounts to
          share, and approve or refuse. The browser comes back to your redirect URI with
          <code>?code=…&amp;state=…&amp;iss=${issuer}</code> (check that <code>state</code> is yours
          and <code>iss</code> is the issuer) or with <code>?error=access_denied</code>.
        </p>
        <p>
          A consent not decided within an hour is rejected as abandoned. Alternatively, create the
          consent first with the <a href="/docs/api/consents">consent API</a> and push
          <code>authorization_details=[{"type": "account_information", "consent_id": "…"}]</code>;
          you can then follow its status and withdraw it:
        </p>
        ${codeBlock(consentApi, 'http')}
      </section>

      <section id="tokens">
        <h2>4. Tokens</h2>
        <p>
          Redeem the code within 60 seconds, with the PKCE verifier, your client assertion and a
          DPoP proof from the <em>same</em> DPoP key. The <code>DPoP</code> header is required here:
          tokens are always DPoP-bound, and a code redeemed without it is refused with
          <code>400 invalid_grant</code> (“grant request is invalid”). Sending one already with the
          pushed request is recommended: it binds the code to your key from the start.
        </p>
        ${codeBlock(tokenRequest, 'http')} ${codeBlock(tokenResponse, 'http')}
        <p>
          <code>authorization_details</code> is what the customer granted, not what you asked for:
          read the <code>accounts</code> they chose (or the credit <code>subject</code>) from it.
          Keep the <code>consent_id</code>. The access token is a JWT (<code>typ: at+jwt</code>) for
          the gateway; you do not need to read it, but this is what the gateway checks:
        </p>
        ${codeBlock(json(accessTokenClaims), 'json')}
        <h3>Refresh</h3>
        <p>
          Access tokens live 5 minutes. Get a new one with
          <code>grant_type=refresh_token&amp;refresh_token=…</code>, your client assertion and a
          DPoP proof of the same key. The refresh token stays the same; it lives until the consent
          expires, but at most 90 days (by default), after which the customer connects again. When
          the customer revokes the consent or it expires, the refresh answers
          <code>400 invalid_grant</code>: the connection is over, ask the customer to connect again.
        </p>
        <p class="callout">
          If the token or PAR endpoint answers <code>400 use_dpop_nonce</code> with a
          <code>DPoP-Nonce</code> header, repeat the request with a new proof carrying that value as
          its <code>nonce</code> claim. Certified OAuth libraries do this for you.
        </p>
      </section>

      <section id="call">
        <h2>5. Call an API</h2>
        <p>Every call goes to the gateway at <code>${gatewayUrl}</code> with two headers:</p>
        <ul>
          <li>
            <code>Authorization: DPoP &lt;access token&gt;</code> — the DPoP scheme; a token sent as
            <code>Bearer</code> is refused;
          </li>
          <li>
            <code>DPoP: &lt;proof&gt;</code> — a fresh proof for <em>this</em> call, a JWT signed by
            your DPoP key:
          </li>
        </ul>
        ${codeBlock(json(proofHeader), 'proof header')}
        ${codeBlock(json(proofPayload), 'proof payload')}
        <dl class="defs compact">
          <dt><code>htm</code></dt>
          <dd>the HTTP method;</dd>
          <dt><code>htu</code></dt>
          <dd>
            the URL without query or fragment: <code>${gatewayUrl}</code> followed by the path;
          </dd>
          <dt><code>iat</code></dt>
          <dd>now, in seconds; proofs more than 60 seconds old or ahead are refused;</dd>
          <dt><code>jti</code></dt>
          <dd>unique per proof: a proof is accepted once;</dd>
          <dt><code>ath</code></dt>
          <dd><code>base64url(SHA-256(access token))</code>.</dd>
        </dl>
        <p>
          Optionally send <code>x-fapi-interaction-id</code> with a UUID of your own: the gateway
          passes it to the bank and echoes it (or a new one) on every answer, including errors. Log
          it; support finds a call by it.
        </p>
        ${codeBlock(call, 'http')} ${codeBlock(callResponse, 'http')}
        <p>
          Lists are paginated: follow <code>links.next</code> until it is absent. It is a relative
          reference (<code>/accounts/acc-0001-01/transactions?…&amp;cursor=…</code>): resolve it
          against the gateway’s URL, <code>new URL(links.next, gatewayUrl)</code> with
          <code>gatewayUrl</code> <code>${gatewayUrl}</code>, and send it as given. Response fields
          whose own <code>x-permissions</code> were not granted (full account numbers, transaction
          details) are removed, and an account the customer did not choose is refused with
          <code>403 account_not_consented</code>. The
          <a href="/docs/api/accounts">API reference</a> lists every operation, parameter and field.
        </p>
        <p>
          Calling from a page in the browser? The gateway answers CORS only for origins its operator
          listed (exactly <code>https://app.example.com</code>: scheme, host and port); ask for
          yours to be added. Calls from your server need nothing of the kind. Either way your DPoP
          private key must stay where no one else's code runs.
        </p>
      </section>

      <section id="errors">
        <h2>6. Errors</h2>
        <p>
          Errors are <code>application/problem+json</code> with a stable <code>code</code>; switch
          on it, never on <code>detail</code>. The full reference, with what each code means and
          what to do, is on the <a href="/docs/errors">error page</a>:
        </p>
        ${errorTable()}
        <h3>OAuth errors</h3>
        ${oauthErrorTable()}
      </section>

      <section id="sandbox">
        <h2>7. The sandbox</h2>
        <p>
          <code>npm start</code> runs the whole stack on one machine with seeded demo data: the
          gateway at <code>${gatewayUrl}</code>, the authorization server at <code>${issuer}</code>.
          The bank’s demo customers all use the password <code>${DEMO_PASSWORD}</code>:
        </p>
        <div class="table">
          <table class="grid">
            <thead>
              <tr>
                <th scope="col">Login</th>
                <th scope="col">Customer</th>
                <th scope="col">Kind</th>
                <th scope="col">Try it with</th>
              </tr>
            </thead>
            <tbody>
              ${DEMO_CUSTOMERS.map(
                (c) =>
                  html`<tr>
                    <td><code>${c.username}</code></td>
                    <td>
                      <span lang="zh">${c.nameZh}</span>
                      ${c.nameEn}${c.creditCode ? html`<div class="small">credit code <code>${c.creditCode}</code></div>` : ''}
                    </td>
                    <td>${c.kind === 'sme' ? 'SME' : 'retail'}</td>
                    <td>
                      ${c.kind === 'sme' ? 'credit_data_sharing (enterprise)' : 'account_information, credit_data_sharing (personal)'}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <p>
          See the whole flow run: in a second terminal, <code>npm run demo-tpp</code> acts as the
          sandbox client <code>bund-demo-tpp</code> exactly as described here (PAR, PKCE, DPoP,
          private_key_jwt), prints a link to open, and after you approve (as <code>zhangwei</code>)
          reads accounts, balances and transactions through the gateway.
          <code>npm run demo-tpp -- credit_data_sharing</code> does the same for credit data (log in
          as <code>${sme[0]?.username ?? 'mingyuan'}</code>). Then revoke the consent in the
          customer dashboard at <a href="${issuer}/dashboard"><code>${issuer}/dashboard</code></a
          >: the next refresh fails with <code>invalid_grant</code>, and the gateway refuses the
          token with <code>consent_revoked</code> at once.
        </p>
      </section>

      <section id="code">
        <h2>All of it in code</h2>
        <p>
          With a certified client library the protocol work is a few calls. In Node.js with
          <a href="https://github.com/panva/openid-client"><code>openid-client</code></a> (the
          library the demo client uses):
        </p>
        <p>
          It is an ES module (<code>import</code>, top-level <code>await</code>), and a fresh
          <code>npm init -y</code> project is CommonJS: save it as a <code>.mjs</code> file (say
          <code>bund-quickstart.mjs</code>) or set <code>"type": "module"</code> in your
          <code>package.json</code>, after <code>npm install openid-client jose</code>. As shown it
          is the sandbox’s demo client <code>bund-demo-tpp</code> with its registered redirect URI
          <code>http://localhost:8765/callback</code> and the private JWK the consent service
          generated for it; with your own registration, use your client_id, redirect_uri and the
          private JWK of step 2.
        </p>
        ${codeBlock(openidClient, 'javascript')}
      </section>
    </article>
  </div>`;
  return layout(ctx, { title: 'Getting started', section: 'guide', body });
}
