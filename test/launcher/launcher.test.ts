import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@bund/service-kit/config';
import { servicesToStart } from '../../scripts/launcher/services.js';
import { customerDecides } from '../support/authorize.js';
import type { Journey } from '../support/authorize.js';
import { freePort } from '../support/ports.js';
import { Browser, revokeInDashboard } from '../support/sample-stack.js';

/** Where the demo TPP command receives the customer's answer (consent-service/bin). */
const DEMO_REDIRECT_URI = 'http://localhost:8765/callback';

/** A free port for every service of the stack. */
async function stackPorts(): Promise<Record<string, string>> {
  return {
    MOCK_BANK_PORT: String(await freePort()),
    DATA_EXCHANGE_PORT: String(await freePort()),
    CONSENT_SERVICE_PORT: String(await freePort()),
    GATEWAY_PORT: String(await freePort()),
    GATEWAY_OPS_PORT: String(await freePort()),
    SAMPLE_TPP_PORT: String(await freePort()),
  };
}

/** `npm start`'s launcher as a person runs it, in its own process group like a terminal job. */
interface Launch {
  process: ChildProcess;
  dataDir: string;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>): Launch {
  let output = '';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bund-launch-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'scripts/start.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ...env,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { process: child, dataDir, output: () => output, exited };
}

async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs: number,
  launched: Launch,
) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; output:\n${launched.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Until the launcher says the whole stack runs (its summary ends with how to stop it). */
function runningStack(launched: Launch): Promise<void> {
  return waitFor(
    () => launched.output().includes('Press Ctrl-C to stop.'),
    'the summary',
    100_000,
    launched,
  );
}

/** The launcher's child processes, as `pid command` lines. */
function children(pid: number): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * The launcher's service processes. (tsx's esbuild helper is a child too; it ends on its own a
 * moment after the launcher, so it is not what these tests hold the launcher to.)
 */
function servicePids(pid: number): number[] {
  return children(pid)
    .filter((line) => line.includes('/src/index.ts'))
    .map((line) => Number(line.split(' ')[0]));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm run demo-tpp -- <type>` against the launched stack, with the customer played over HTTP:
 * the link it prints is opened, the customer decides, and the redirect reaches the command's
 * callback. Returns the gateway calls it printed; it is stopped once it starts refreshing.
 */
async function demoTpp(
  launched: Launch,
  ports: Record<string, string>,
  type: string,
  journey: Journey & { thenRevoke?: boolean },
): Promise<string> {
  let output = '';
  const demo = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'consent-service/bin/demo-tpp.ts'), type],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...ports,
        DATA_DIR: launched.dataDir,
        GATEWAY_URL: `http://localhost:${ports.GATEWAY_PORT}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  demo.stdout.on('data', (chunk) => (output += String(chunk)));
  demo.stderr.on('data', (chunk) => (output += String(chunk)));
  const seen = async (what: string, pattern: RegExp) => {
    const deadline = Date.now() + 30_000;
    while (!pattern.test(output)) {
      if (demo.exitCode !== null || Date.now() > deadline)
        throw new Error(`demo-tpp printed no ${what}; its output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  try {
    await seen('the link', /Open this link[^\n]*\n\n +\S+/);
    const link = /Open this link[^\n]*\n\n +(\S+)/.exec(output)![1]!;
    const { callback } = await customerDecides(new URL(link), DEMO_REDIRECT_URI, journey);
    const back = await fetch(callback);
    assert.equal(back.status, 200, await back.text());
    await seen('the gateway calls', /Refreshing every/);
    const calls = output.slice(output.indexOf('Calling the gateway'), output.indexOf('Refreshing'));
    assert.doesNotMatch(calls, / [45]\d{2} {2}/, calls);
    if (journey.thenRevoke) {
      // The customer revokes in the dashboard: the next refresh fails, and the command shows
      // what the gateway now answers.
      const issuer = `http://localhost:${ports.CONSENT_SERVICE_PORT}`;
      await revokeInDashboard(new Browser(), issuer, journey.username);
      await seen('the end after revocation', /refresh failed[\s\S]* 403 {2}consent_revoked/);
      if (demo.exitCode === null) await new Promise((resolve) => demo.once('exit', resolve));
      assert.equal(demo.exitCode, 0, output);
    }
    return calls;
  } finally {
    demo.kill();
  }
}

describe('npm start (the launcher)', () => {
  it('starts every service, prints URLs, pages and demo logins; Ctrl-C stops all, each saying so, exit 0', async function () {
    this.timeout(120_000);
    const ports = await stackPorts();
    const launched = launch(ports);
    try {
      await runningStack(launched);
      const out = launched.output();
      assert.match(out, new RegExp(`mock-bank\\s+http://127\\.0\\.0\\.1:${ports.MOCK_BANK_PORT}`));
      assert.match(
        out,
        new RegExp(`data-exchange\\s+http://127\\.0\\.0\\.1:${ports.DATA_EXCHANGE_PORT}`),
      );
      assert.match(out, /zhangwei/);
      assert.match(out, /password for all: bund-demo-2026/);
      // The two pages the README's walkthrough opens.
      assert.match(
        out,
        new RegExp(`Customer dashboard\\s+http://\\S+:${ports.CONSENT_SERVICE_PORT}/dashboard\\n`),
      );
      assert.match(
        out,
        new RegExp(`Developer portal\\s+http://\\S+:${ports.GATEWAY_PORT}/docs\\n`),
      );
      for (const port of Object.values(ports)) {
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        assert.equal(ready.status, 200);
      }
      // The launcher itself runs under tsx, whose esbuild helper is a child too: count services.
      const services = children(launched.process.pid!).filter((line) =>
        line.includes('/src/index.ts'),
      );
      assert.equal(
        services.length,
        servicesToStart().length,
        `one process per service, found:\n${services.join('\n')}`,
      );
      const pids = servicePids(launched.process.pid!);

      // Ctrl-C in a terminal signals the whole foreground process group.
      const closed = new Promise((resolve) => launched.process.once('close', resolve));
      process.kill(-launched.process.pid!, 'SIGINT');
      assert.equal(await launched.exited, 0, launched.output());
      // Everything the launcher wrote has arrived once its pipes close: every service's
      // shutdown line, then the launcher's last.
      await closed;
      const stopped = launched.output();
      for (const { name } of servicesToStart())
        assert.match(stopped, new RegExp(`${name} received SIGINT, shutting down`), stopped);
      assert.match(stopped, /\nBund stopped\.\n/, stopped);
      for (const pid of pids)
        assert.equal(isAlive(pid), false, `service process ${pid} outlived the launcher`);
    } finally {
      if (launched.process.exitCode === null) process.kill(-launched.process.pid!, 'SIGKILL');
    }
  });

  it('serves the demo TPP command end to end: consent in the browser, then bank and credit data through the gateway', async function () {
    this.timeout(120_000);
    const ports = await stackPorts();
    const launched = launch(ports);
    try {
      await runningStack(launched);
      // Every service in its own process, served as in production (service-kit's listen()).
      const calls = await demoTpp(launched, ports, 'account_information', {
        username: 'zhangwei',
        accounts: ['acc-0001-01'],
        thenRevoke: true,
      });
      assert.match(calls, /GET \/accounts +200 +1 item\(s\)/);
      assert.match(calls, /GET \/accounts\/acc-0001-01\/balances +200 +ok/);
      assert.match(calls, /GET \/accounts\/acc-0001-01\/transactions\?limit=5 +200 +5 item\(s\)/);

      const credit = await demoTpp(launched, ports, 'credit_data_sharing', {
        username: 'mingyuan',
      });
      for (const resource of ['', '/tax-grades', '/invoice-summaries', '/utility-payments']) {
        assert.match(credit, new RegExp(`GET /enterprises/[0-9A-Z]{18}${resource} +200 `));
      }
    } finally {
      if (launched.process.exitCode === null) process.kill(-launched.process.pid!, 'SIGKILL');
    }
  });

  it('keeps the rest running when one service stops; SIGTERM stops all, exit 0, none left', async function () {
    this.timeout(120_000);
    const ports = await stackPorts();
    const launched = launch(ports);
    try {
      await runningStack(launched);
      const pids = servicePids(launched.process.pid!);
      // The bank goes away: the launcher says so, and the gateway keeps answering (503s).
      const bank = children(launched.process.pid!).find((line) =>
        line.includes('mock-bank/src/index.ts'),
      );
      assert.ok(bank, 'the mock-bank process');
      process.kill(Number(bank.split(' ')[0]), 'SIGTERM');
      await waitFor(
        () => /mock-bank stopped \(exit code 0\); the rest keeps running/.test(launched.output()),
        'the report of the stopped bank',
        20_000,
        launched,
      );
      assert.match(launched.output(), /npm start -w mock-bank/);
      const gateway = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/health/live`);
      assert.equal(gateway.status, 200, 'the gateway is live');
      assert.equal(launched.process.exitCode, null, 'the launcher still runs');

      launched.process.kill('SIGTERM');
      assert.equal(await launched.exited, 0, launched.output());
      for (const pid of pids)
        assert.equal(isAlive(pid), false, `process ${pid} outlived the launcher`);
    } finally {
      if (launched.process.exitCode === null) process.kill(-launched.process.pid!, 'SIGKILL');
    }
  });

  it('names the service and the variable when a service cannot start, and exits non-zero', async function () {
    this.timeout(60_000);
    const launched = launch({ ...(await stackPorts()), MOCK_BANK_PORT: 'not-a-port' });
    try {
      const code = await launched.exited;
      assert.notEqual(code, 0);
      assert.match(launched.output(), /mock-bank failed to start/);
      assert.match(launched.output(), /MOCK_BANK_PORT/);
      assert.doesNotMatch(launched.output(), /Bund is running/);
    } finally {
      if (launched.process.exitCode === null) process.kill(-launched.process.pid!, 'SIGKILL');
    }
  });

  it('names a service whose port is taken and stops the ones already started', async function () {
    this.timeout(120_000);
    const { createServer } = await import('node:net');
    const blocker = createServer();
    const taken = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    const bankPort = await freePort();
    const launched = launch({
      ...(await stackPorts()),
      MOCK_BANK_PORT: String(bankPort),
      DATA_EXCHANGE_PORT: String(taken),
    });
    try {
      const code = await launched.exited;
      assert.notEqual(code, 0);
      assert.match(launched.output(), /data-exchange failed to start/);
      assert.match(launched.output(), /EADDRINUSE/);
      // mock-bank had started; it must not be left running.
      await assert.rejects(fetch(`http://127.0.0.1:${bankPort}/health/live`));
    } finally {
      blocker.close();
      if (launched.process.exitCode === null) process.kill(-launched.process.pid!, 'SIGKILL');
    }
  });
});
