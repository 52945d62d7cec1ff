/**
 * `npm start`: starts every service of the stack as its own process on SQLite with seeded demo
 * data, waits until each is ready, prints the URLs and demo logins, and on Ctrl-C or SIGTERM
 * stops them all gracefully. A service that fails to start is named with its reason and the
 * launcher exits non-zero.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { DEMO_CUSTOMERS, DEMO_PASSWORD } from '@bund/service-kit/demo-customers';
import { startChild, waitUntilReady } from './launcher/child.js';
import type { RunningChild } from './launcher/child.js';
import { servicesToStart } from './launcher/services.js';

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
/** How long the services' last lines may arrive after they exit: a stuck pipe waits no more. */
const DRAIN_TIMEOUT_MS = 2_000;

const services = servicesToStart();
const width = Math.max(...services.map((s) => s.name.length));
const children: RunningChild[] = [];
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  for (const child of children) {
    if (child.process.exitCode === null && child.process.signalCode === null)
      child.process.kill('SIGTERM');
  }
  const killer = setTimeout(() => {
    for (const child of children) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        console.error(
          `${child.service.name} did not stop within ${STOP_TIMEOUT_MS} ms; killing it`,
        );
        child.process.kill('SIGKILL');
      }
    }
  }, STOP_TIMEOUT_MS);
  const results = await Promise.all(children.map((child) => child.exited));
  clearTimeout(killer);
  // Exiting now would cut off what the services wrote last (their shutdown lines).
  await Promise.race([
    Promise.all(children.map((child) => child.drained)),
    delay(DRAIN_TIMEOUT_MS),
  ]);
  const unclean = children.filter((_, i) => results[i]!.code !== 0);
  if (exitCode === 0 && unclean.length > 0) {
    // Including a service that had stopped before (reported then).
    console.error(`not stopped cleanly: ${unclean.map((c) => c.service.name).join(', ')}`);
    exitCode = 1;
  }
  console.log('Bund stopped.');
  process.exit(exitCode);
}

function onSignal(signal: NodeJS.Signals) {
  if (stopping) return;
  console.log(`\n${signal} received: stopping ${children.map((c) => c.service.name).join(', ')}…`);
  void stopAll(0);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

function failStart(child: RunningChild, error: Error): Promise<never> {
  const why = child.lastErrorLines().join('\n  ');
  console.error(
    `\n✖ ${child.service.name} failed to start: ${error.message}${why ? `\n  ${why}` : ''}`,
  );
  return stopAll(1);
}

function printSummary(urls: Map<string, string>, operatorUrls: Map<string, string>) {
  const lines = ['', 'Bund is running.', ''];
  for (const [name, url] of urls) {
    const operators = operatorUrls.get(name);
    lines.push(
      `  ${name.padEnd(width)}  ${url}${operators ? `  (operators: ${operators}/status)` : ''}`,
    );
  }
  // The pages the README's walkthrough opens, of the services that run.
  const consentService = urls.get('consent-service');
  const gateway = urls.get('gateway');
  if (consentService || gateway) lines.push('');
  if (consentService) lines.push(`  Customer dashboard  ${consentService}/dashboard`);
  if (gateway) lines.push(`  Developer portal    ${gateway}/docs`);
  lines.push('', `Demo logins (password for all: ${DEMO_PASSWORD}):`);
  for (const c of DEMO_CUSTOMERS) {
    lines.push(`  ${c.username.padEnd(10)} ${c.kind.padEnd(6)} ${c.nameEn} / ${c.nameZh}`);
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}

async function main() {
  if (services.length === 0) {
    console.error('no service to start');
    process.exit(1);
  }
  const urls = new Map<string, string>();
  const operatorUrls = new Map<string, string>();
  // Later services learn where earlier ones listen (MOCK_BANK_URL, …) unless set explicitly.
  const env = { ...process.env };
  // The consent service starts before the gateway but must know its URL (the tokens' audience).
  if (env.GATEWAY_PORT && !env.GATEWAY_URL)
    env.GATEWAY_URL = `http://localhost:${env.GATEWAY_PORT}`;
  // One at a time, in order: later services depend on earlier ones being ready.
  for (const service of services) {
    if (stopping) return;
    const child = startChild(service, width, env);
    children.push(child);
    let url: string;
    try {
      const listening = await child.listening;
      url = listening.url;
      if (listening.operatorUrl) operatorUrls.set(service.name, listening.operatorUrl);
      await waitUntilReady(child, url, READY_TIMEOUT_MS);
    } catch (error) {
      if (stopping) return;
      await failStart(child, error as Error);
      return;
    }
    urls.set(service.name, url);
    const urlVariable = `${service.name.toUpperCase().replaceAll('-', '_')}_URL`;
    env[urlVariable] ??= url;
  }
  printSummary(urls, operatorUrls);
  // After start, a service that stops is reported and the others keep running: what a dead
  // interconnection looks like (the gateway's /status, its 503s, the alerts) is part of the demo.
  for (const child of children) {
    void child.exited.then(async ({ code, signal }) => {
      if (stopping) return;
      const how = signal ?? `exit code ${code}`;
      if (children.every((c) => c.process.exitCode !== null || c.process.signalCode !== null)) {
        console.error(`\n✖ ${child.service.name} stopped (${how}), the last service running`);
        void stopAll(1);
        return;
      }
      // Its last lines (a crash's stack) first, then what happened.
      await Promise.race([child.drained, delay(DRAIN_TIMEOUT_MS)]);
      console.error(
        `\n✖ ${child.service.name} stopped (${how}); the rest keeps running. Start it again in ` +
          `another terminal with \`npm start -w ${child.service.name}\` and the same ` +
          'environment (DATABASE_URL, ports), or stop everything with Ctrl-C.',
      );
    });
  }
}

void main();
