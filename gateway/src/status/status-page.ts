import { Router } from 'express';
import { html } from '@bund/service-kit';
import type { SafeHtml } from '@bund/service-kit';
import type { ConsentStatusCache } from '../consent/consent-status.js';
import type { InterconnectionProbes, ProbeState } from '../health/interconnection-probes.js';
import type { BackendClient } from '../upstream/backend-client.js';
import type { TrafficSummary, TrafficWindow } from './traffic-window.js';

export interface StatusSources {
  probes: InterconnectionProbes;
  traffic: TrafficWindow;
  backends: ReadonlyMap<string, BackendClient>;
  consents: ConsentStatusCache;
}

/** One interconnection as `/status.json` reports it. */
export interface InterconnectionStatus {
  target: string;
  kind: ProbeState['kind'];
  up: boolean;
  /** ISO time of the last probe; null before the first. */
  checkedAt: string | null;
  /** ISO time the state last changed. */
  since: string;
  probeLatencyMs: number | null;
  consecutiveFailures: number;
  error: string | null;
  /** Backends only: the circuit breaker and the last five minutes of proxied calls. */
  circuit?: BackendClient['circuitState'];
  traffic?: TrafficSummary;
  /** The change feed only: `connected`, or `disconnected` (consents are then looked up per call). */
  feed?: 'connected' | 'disconnected';
}

export interface GatewayStatus {
  generatedAt: string;
  allUp: boolean;
  interconnections: InterconnectionStatus[];
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The status of every interconnection, from memory: probes, traffic window and breakers. */
function collectStatus({ probes, traffic, backends, consents }: StatusSources): GatewayStatus {
  const interconnections = probes.list().map((state): InterconnectionStatus => {
    const status: InterconnectionStatus = {
      target: state.target,
      kind: state.kind,
      up: state.up,
      checkedAt: iso(state.checkedAt),
      since: new Date(state.since).toISOString(),
      probeLatencyMs: state.latencyMs === undefined ? null : round(state.latencyMs),
      consecutiveFailures: state.consecutiveFailures,
      error: state.error ?? null,
    };
    const backend = backends.get(state.target);
    if (backend) {
      const summary = traffic.summary(state.target);
      status.circuit = backend.circuitState;
      status.traffic = {
        ...summary,
        perSecond: round(summary.perSecond, 3),
        errorRate: round(summary.errorRate, 4),
        ...(summary.p50Ms === undefined ? {} : { p50Ms: round(summary.p50Ms) }),
        ...(summary.p99Ms === undefined ? {} : { p99Ms: round(summary.p99Ms) }),
      };
    }
    if (state.target === 'consent-service-feed')
      status.feed = consents.feedConnected ? 'connected' : 'disconnected';
    return status;
  });
  return {
    generatedAt: new Date().toISOString(),
    allUp: interconnections.every((i) => i.up),
    interconnections,
  };
}

const ms = (value: number | null | undefined) =>
  value === null || value === undefined
    ? '—'
    : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

function stateCell(i: InterconnectionStatus): SafeHtml[] {
  const notes: string[] = [];
  if (i.feed === 'connected') notes.push('feed connected: consents cached');
  if (i.feed === 'disconnected') notes.push('feed disconnected: consents looked up per call');
  if (!i.up && i.error) notes.push(i.error);
  notes.push(`since ${i.since.slice(11, 19)} UTC`);
  const lines = notes.map((note, index) => html`${index > 0 && html`<br />`}${note}`);
  return [
    i.up ? html`<span class="badge up">● UP</span>` : html`<span class="badge down">✕ DOWN</span>`,
    html`<div class="note">${lines}</div>`,
  ];
}

function row(i: InterconnectionStatus): SafeHtml {
  const t = i.traffic;
  const errors = t ? `${(t.errorRate * 100).toFixed(1)} %` : '—';
  // One line per row, cells side by side: the page is read by people, and by scripts that grep.
  const cells = [
    html`<th scope="row">${i.target}</th>`,
    html`<td class="state">${stateCell(i)}</td>`,
    html`<td class="num">${ms(i.probeLatencyMs)}</td>`,
    html`<td class="num">${i.consecutiveFailures}</td>`,
    html`<td class="num">${t ? t.perSecond.toFixed(2) : '—'}</td>`,
    html`<td class="num${t && t.errorRate > 0 ? ' bad' : ''}">${errors}</td>`,
    html`<td class="num">${t ? ms(t.p50Ms) : '—'}</td>`,
    html`<td class="num">${t ? ms(t.p99Ms) : '—'}</td>`,
    html`<td class="circuit ${i.circuit ?? ''}">${i.circuit?.replace('_', ' ') ?? '—'}</td>`,
  ];
  // prettier-ignore
  return html`<tr class="${i.up ? 'up' : 'down'}">${cells}</tr>`;
}

/** The status as a page an operator reads at a glance: no script, styles from /status.css. */
function renderStatusPage(status: GatewayStatus, refreshSeconds: number): string {
  const down = status.interconnections.filter((i) => !i.up);
  const headline = down.length
    ? `${down.length} of ${status.interconnections.length} interconnections down: ${down.map((i) => i.target).join(', ')}`
    : `All ${status.interconnections.length} interconnections up`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content="${refreshSeconds}" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${down.length ? `✕ ${down.length} down` : '● all up'} — Bund gateway status</title>
        <link rel="stylesheet" href="/status.css" />
      </head>
      <body>
        <h1>Bund gateway status</h1>
        <p class="headline ${down.length ? 'down' : 'up'}">${headline}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">Interconnection</th>
              <th scope="col">State</th>
              <th scope="col">Probe latency</th>
              <th scope="col">Failed probes</th>
              <th scope="col">Calls/s (5 min)</th>
              <th scope="col">Errors</th>
              <th scope="col">p50</th>
              <th scope="col">p99</th>
              <th scope="col">Circuit</th>
            </tr>
          </thead>
          <tbody>
            ${status.interconnections.map(row)}
          </tbody>
        </table>
        <p class="foot">
          Calls/s, errors, p50 and p99: the calls proxied to each backend over the last 5 minutes
          (or since the gateway started), timed at the backend. Generated ${status.generatedAt};
          refreshes every ${refreshSeconds} s. Also as <a href="/status.json">JSON</a> and
          <a href="/metrics">Prometheus metrics</a>.
        </p>
      </body>
    </html>`.toString();
}

const STYLESHEET = `body{font:15px/1.4 system-ui,sans-serif;margin:2rem;color:#1a1a1a;background:#fafafa}
h1{font-size:1.4rem;margin:0 0 .5rem}
.headline{font-size:1.1rem;font-weight:600;padding:.5rem .75rem;border-radius:4px;display:inline-block}
.headline.up{background:#dff3e4;color:#14532d}.headline.down{background:#fde2e1;color:#7f1d1d}
table{border-collapse:collapse;margin-top:1rem;background:#fff}
th,td{padding:.5rem .75rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
thead th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:#555}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th[scope=row]{white-space:nowrap}
td.bad{color:#b91c1c;font-weight:600}
tr.down th{color:#b91c1c}
.badge{font-weight:700;padding:.1rem .45rem;border-radius:3px;white-space:nowrap}
.badge.up{background:#16a34a;color:#fff}.badge.down{background:#dc2626;color:#fff}
.note{font-size:.8rem;color:#555;margin-top:.25rem;max-width:28rem}
td.circuit.open{color:#b91c1c;font-weight:700}td.circuit.half_open{color:#b45309;font-weight:700}
.foot{font-size:.8rem;color:#555;margin-top:1rem}
`;

/**
 * `GET /status` (HTML), `/status.json` and `/status.css`: the operators' view of every
 * interconnection. Not a TPP API: in production it belongs behind the operator network (the
 * ingress must not route it from the internet), like `/metrics`.
 */
export function statusRouter(sources: StatusSources, refreshSeconds = 10): Router {
  const router = Router();
  router.get('/status', (_req, res) => {
    res
      .set({
        'Cache-Control': 'no-store',
        'Content-Security-Policy':
          "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .type('html')
      .send(renderStatusPage(collectStatus(sources), refreshSeconds));
  });
  router.get('/status.json', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(collectStatus(sources));
  });
  router.get('/status.css', (_req, res) => {
    res
      .set({ 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' })
      .type('css')
      .send(STYLESHEET);
  });
  return router;
}
