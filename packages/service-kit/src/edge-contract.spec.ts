import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import express from 'express';
import { SELF_BOUND_MESSAGE, withEdgeContract } from './edge-contract';
import { startNotifyReceiver, startSocketActivated } from './fixtures/socket-activated';
import { captureLogs, waitFor } from './fixtures/test-helpers';

async function getJson(port: number, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.json() };
}

// Each framework's fixture is a real process started as a .socket unit starts it, with a real notify socket.
for (const framework of ['fastify', 'express', 'hono', 'http']) {
  describe(`${framework} under the edge contract (systemd-socket-activate, NOTIFY_SOCKET)`, () => {
    test('READY=1, /healthz and the app route answer on the inherited socket; SIGTERM drains and exits 0', async (t) => {
      const notify = await startNotifyReceiver(t);
      const fixture = join(__dirname, 'fixtures', 'frameworks', `${framework}-service.ts`);
      const service = await startSocketActivated(
        t,
        [process.execPath, '--import', 'tsx', fixture],
        notify.socketPath,
      );

      // The first connection makes systemd-socket-activate exec the service; it waits in the backlog meanwhile.
      assert.deepEqual(await getJson(service.port, '/healthz'), { status: 200, body: { status: 'ok' } });
      await waitFor(() => notify.messages.includes('READY=1'), 'READY=1', 15_000);
      // STATUS may be a datagram of its own, read a moment after READY=1: wait for it rather than race it.
      const status = `STATUS=listening on 127.0.0.1:${service.port}`;
      await waitFor(() => notify.messages.includes(status), status, 5_000);
      assert.deepEqual(await getJson(service.port, '/hello'), { status: 200, body: { framework } });
      assert.deepEqual(await getJson(service.port, '/readyz'), { status: 200, body: { status: 'ready' } });
      const version = await getJson(service.port, '/version');
      assert.equal((version.body as { name: string }).name, `${framework}-fixture`);
      const listening = service.readLines().find((line) => line.msg === 'listening');
      assert.equal(listening?.socketActivated, true, service.output());
      assert.equal(listening?.level, 30, 'pino level numbers');

      const slow = getJson(service.port, '/slow?ms=600');
      await waitFor(
        () => service.readLines().some((line) => line.msg === 'slow request started'),
        'the slow request',
        15_000,
      );
      service.child.kill('SIGTERM');
      assert.deepEqual(await slow, { status: 200, body: { sleptMs: 600 } });
      assert.equal(await service.exited, 0, service.output());
      assert.ok(notify.messages.includes('STOPPING=1'), notify.messages.join());
      const messages = service.readLines().map((line) => line.msg);
      assert.ok(messages.indexOf('draining') < messages.indexOf('stopped'), messages.join(', '));
    });
  });
}

describe('withEdgeContract in process', () => {
  test('the kit answers the probes, everything else reaches the app (its own 404 included)', async (t) => {
    const app = express();
    app.get('/hello', (_req, res) => void res.json({ framework: 'express' }));
    const logs = captureLogs();
    const service = withEdgeContract(app, {
      name: 'svc',
      version: '1.0.0',
      port: 0,
      host: '127.0.0.1',
      env: {},
      logger: logs.logger,
      readiness: () => false,
    });
    t.after(() => service.stop());
    const { port } = await service.start();
    assert.deepEqual(await getJson(port, '/healthz'), { status: 200, body: { status: 'ok' } });
    assert.deepEqual(await getJson(port, '/readyz'), { status: 503, body: { status: 'not-ready' } });
    assert.deepEqual(await getJson(port, '/hello'), { status: 200, body: { framework: 'express' } });
    assert.equal((await fetch(`http://127.0.0.1:${port}/nothing`)).status, 404);
  });

  test('a server that already listens is refused at start, with the contract and the fix', async (t) => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const logs = captureLogs();
    const service = withEdgeContract(server, {
      name: 'svc',
      version: '1',
      port: 0,
      env: {},
      logger: logs.logger,
    });
    await assert.rejects(service.start(), (error: Error) => error.message === `svc: ${SELF_BOUND_MESSAGE}`);
    assert.match(SELF_BOUND_MESSAGE, /LISTEN_FDS[\s\S]*EADDRINUSE[\s\S]*Remove your listen\(\) call/);
  });
});
