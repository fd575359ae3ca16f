import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createService } from './create-service';
import { captureLogs } from './fixtures/test-helpers';

interface RawResponse {
  status: number;
  connection: string | undefined;
  body: string;
}

/** node:http instead of fetch so the test sees the Connection header and socket errors as they are. */
function get(port: number, path: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function createSlowService(t: TestContext, shutdownTimeoutMs: number) {
  const logs = captureLogs();
  let startedRequests = 0;
  const service = createService({
    name: 'slow',
    version: '0',
    port: 0,
    host: '127.0.0.1',
    env: {},
    logger: logs.logger,
    shutdownTimeoutMs,
    routes: {
      'GET /slow': async ({ url }) => {
        startedRequests += 1;
        await sleep(Number(url.searchParams.get('ms')));
        return { body: { done: true } };
      },
    },
  });
  t.after(() => service.stop()); // also when an assertion failed, so the test process can end
  return { service, logs, readStartedRequests: () => startedRequests };
}

test('stop() refuses new connections but finishes the in-flight slow request', async (t) => {
  const { service, logs, readStartedRequests } = createSlowService(t, 5000);
  const { port } = await service.start();
  const inFlight = get(port, '/slow?ms=400');
  while (readStartedRequests() === 0) await sleep(5);

  const stopped = service.stop('test');
  assert.equal(service.state, 'draining');
  await assert.rejects(get(port, '/healthz'), /ECONNREFUSED/, 'new connections are refused while draining');

  const response = await inFlight;
  assert.equal(response.status, 200);
  assert.deepEqual(JSON.parse(response.body), { done: true });
  assert.equal(response.connection, 'close', 'the drained reply closes its keep-alive connection');
  await stopped;
  assert.equal(service.state, 'stopped');
  const stoppedLine = logs.readLines().find((l) => l.msg === 'stopped');
  assert.equal(stoppedLine?.isForced, false);
});

test('a request slower than the shutdown timeout is cut so the process can exit', async (t) => {
  const { service, logs, readStartedRequests } = createSlowService(t, 150);
  const { port } = await service.start();
  const inFlight = get(port, '/slow?ms=3000');
  while (readStartedRequests() === 0) await sleep(5);

  const startedAt = Date.now();
  await service.stop('test');
  const elapsed = Date.now() - startedAt;
  assert.ok(elapsed >= 140 && elapsed < 1000, `stop took ${elapsed} ms`);
  await assert.rejects(inFlight, /socket hang up|ECONNRESET/);
  assert.equal(logs.readLines().find((l) => l.msg === 'stopped')?.isForced, true);
});

test('calling stop() twice drains once', async (t) => {
  const { service, logs } = createSlowService(t, 1000);
  await service.start();
  await Promise.all([service.stop('a'), service.stop('b')]);
  assert.equal(logs.readLines().filter((l) => l.msg === 'draining').length, 1);
});
