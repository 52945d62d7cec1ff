import assert from 'node:assert/strict';
import { listen } from '@bund/service-kit';

describe('service-kit: graceful shutdown', () => {
  it('finishes a request in flight, then refuses new connections', async () => {
    const running = await listen(
      (_req, res) => {
        setTimeout(() => res.end('finished'), 300);
      },
      0,
      '127.0.0.1',
    );
    const inFlight = fetch(`${running.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = running.close(5000);
    const response = await inFlight;
    assert.equal(await response.text(), 'finished');
    await closed;
    await assert.rejects(fetch(`${running.url}/again`));
  });

  it('cuts a request that outlives the shutdown timeout', async () => {
    const running = await listen(() => undefined, 0, '127.0.0.1');
    const hanging = fetch(`${running.url}/never`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await running.close(200);
    assert.ok(Date.now() - started < 2000);
    assert.ok((await hanging) instanceof Error);
  });
});
