import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JWK } from 'jose';
import * as oidc from 'openid-client';
import { createTppClient } from '@bund/consent-service/demo/tpp-client';
import type { TppClient } from '@bund/consent-service/demo/tpp-client';
import { repoRoot } from '@bund/service-kit/config';
import { servicesToStart } from '../../scripts/launcher/services.js';
import { ACCOUNT_INFORMATION, PERSONAL_CREDIT, authorize } from '../support/authorize.js';
import { freePort } from '../support/ports.js';

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

function childPids(pid: number): number[] {
  return children(pid).map((line) => Number(line.split(' ')[0]));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start (the launcher)', () => {
  it('starts every service, prints URLs and demo logins, and Ctrl-C stops all with exit 0', async function () {
    this.timeout(120_000);
    const ports = await stackPorts();
    const launched = launch(ports);
    try {
      await waitFor(
        () => launched.output().includes('Press Ctrl-C to stop.'),
        'the summary',
        100_000,
        launched,
      );
      const out = launched.output();
      assert.match(out, new RegExp(`mock-bank\\s+http://127\\.0\\.0\\.1:${ports.MOCK_BANK_PORT}`));
      assert.match(
        out,
        new RegExp(`data-exchange\\s+http://127\\.0\\.0\\.1:${ports.DATA_EXCHANGE_PORT}`),
      );
      assert.match(out, /zhangwei/);
      assert.match(out, /password for all: bund-demo-2026/);
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
      const pids = childPids(launched.process.pid!);

      // Ctrl-C in a terminal signals the whole foreground process group.
      process.kill(-launched.process.pid!, 'SIGINT');
      assert.equal(await launched.exited, 0, launched.output());
      for (const pid of pids)
        assert.equal(isAlive(pid), false, `service process ${pid} outlived the launcher`);
    } finally {
      if (launched.process.exitCode === null) process.kill(-launched.process.pid!, 'SIGKILL');
    }
  });

  it('serves the demo TPP end to end: consent in the browser, then bank and credit data through the gateway', async function () {
    this.timeout(120_000);
    const ports = await stackPorts();
    const launched = launch(ports);
    try {
      await waitFor(
        () => launched.output().includes('Press Ctrl-C to stop.'),
        'the summary',
        100_000,
        launched,
      );
      // Every service in its own process, served as in production (service-kit's listen()).
      const gatewayUrl = `http://localhost:${ports.GATEWAY_PORT}`;
      const privateJwk = JSON.parse(
        readFileSync(
          path.join(launched.dataDir, 'secrets', 'bund-demo-tpp.private.jwk.json'),
          'utf8',
        ),
      ) as JWK;
      const tpp = await createTppClient({
        issuer: `http://localhost:${ports.CONSENT_SERVICE_PORT}`,
        clientId: 'bund-demo-tpp',
        privateJwk,
      });
      const call = (token: string, pathAndQuery: string) =>
        oidc.fetchProtectedResource(
          tpp.config,
          token,
          new URL(pathAndQuery, gatewayUrl),
          'GET',
          undefined,
          undefined,
          { DPoP: tpp.dpop },
        );
      const consent = async (client: TppClient, details: unknown[], scope: string) => {
        const redirectUri = 'http://localhost:8765/callback';
        const pushing: TppClient = {
          ...client,
          pushAuthorizationRequest: (request) =>
            client.pushAuthorizationRequest({ scope, ...request }),
        };
        const { callback, checks } = await authorize(pushing, redirectUri, details);
        return (await client.exchangeCode(callback, checks)).access_token;
      };

      const accounts = await consent(tpp, [ACCOUNT_INFORMATION], 'openid accounts');
      for (const pathAndQuery of [
        '/accounts',
        '/accounts/acc-0001-01/balances',
        '/accounts/acc-0001-01/transactions',
      ]) {
        const response = await call(accounts, pathAndQuery);
        const body = await response.text();
        assert.equal(response.status, 200, `${pathAndQuery}: ${body}`);
        assert.match(body, /acc-0001-01/, pathAndQuery);
        assert.equal(response.headers.get('cache-control'), 'no-store');
      }
      // Not consented (zhangwei's savings account): refused without saying whether it exists.
      assert.equal((await call(accounts, '/accounts/acc-0001-02')).status, 403);

      const credit = await consent(tpp, [PERSONAL_CREDIT], 'openid credit_data');
      const summary = await call(credit, '/individuals/me/credit-summary');
      assert.equal(summary.status, 200, await summary.clone().text());
      assert.ok(((await summary.json()) as { data?: unknown }).data, 'a credit summary');
    } finally {
      if (launched.process.exitCode === null) process.kill(-launched.process.pid!, 'SIGKILL');
    }
  });

  it('stops on SIGTERM with exit 0 and leaves no process behind', async function () {
    this.timeout(120_000);
    const launched = launch(await stackPorts());
    try {
      await waitFor(
        () => launched.output().includes('Press Ctrl-C to stop.'),
        'the summary',
        100_000,
        launched,
      );
      const pids = childPids(launched.process.pid!);
      launched.process.kill('SIGTERM');
      assert.equal(await launched.exited, 0, launched.output());
      for (const pid of pids) assert.equal(isAlive(pid), false);
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
