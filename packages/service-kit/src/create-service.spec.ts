import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createService, type Service } from './create-service';
import { captureLogs } from './fixtures/test-helpers';
import { HttpError } from './http-error';

describe('createService endpoints', () => {
  const logs = captureLogs();
  let isStorageReady = true;
  let service: Service;
  let base: string;

  before(async () => {
    service = createService({
      name: 'demo',
      version: '1.2.3',
      port: 0,
      host: '127.0.0.1',
      env: { EDGESHIP_REVISION: 'deadbeef' },
      logger: logs.logger,
      readiness: () => isStorageReady,
      routes: {
        'GET /': () => ({ body: { hello: 'world' } }),
        'POST /echo': async ({ readJson }) => ({ status: 201, body: await readJson() }),
        'GET /teapot': () => {
          throw new HttpError(418, 'short and stout', { spout: true });
        },
        'GET /bigint': () => ({ body: { n: 1n } }),
        'GET /crash': () => {
          throw new Error('handler bug');
        },
      },
    });
    const { port } = await service.start();
    base = `http://127.0.0.1:${port}`;
  });
  after(() => service.stop());

  test('/healthz answers ok', async () => {
    const res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('/readyz follows the readiness callback', async () => {
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    isStorageReady = false;
    const res = await fetch(`${base}/readyz`);
    isStorageReady = true;
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { status: 'not-ready' });
  });

  test('/version reports name, version, revision, arch and node', async () => {
    const res = await fetch(`${base}/version`);
    assert.deepEqual(await res.json(), {
      name: 'demo',
      version: '1.2.3',
      revision: 'deadbeef',
      arch: process.arch,
      node: process.version,
    });
  });

  test('routes answer JSON, with 404 and 405 for unknown paths and methods', async () => {
    const res = await fetch(`${base}/`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { hello: 'world' });
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    const wrongMethod = await fetch(`${base}/echo`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
  });

  test('JSON bodies are parsed, and malformed or oversized ones are refused', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${base}/echo`, { method: 'POST', body, headers: { 'content-type': type } });
    const ok = await post('{"a":[1,2]}');
    assert.equal(ok.status, 201);
    assert.deepEqual(await ok.json(), { a: [1, 2] });
    const bad = await post('{"a":');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'body is not valid JSON');
    assert.equal((await post('a=1', 'application/x-www-form-urlencoded')).status, 415);
    assert.equal((await post(JSON.stringify({ big: 'x'.repeat(1024 * 1024) }))).status, 413);
  });

  test('HttpError becomes its status; any other throw becomes a logged 500', async () => {
    const teapot = await fetch(`${base}/teapot`);
    assert.equal(teapot.status, 418);
    assert.deepEqual(await teapot.json(), { error: 'short and stout', spout: true });
    const crash = await fetch(`${base}/crash`);
    assert.equal(crash.status, 500);
    assert.deepEqual(await crash.json(), { error: 'internal error' });
    assert.equal((await fetch(`${base}/bigint`)).status, 500);
    const logged = logs.readLines().find((l) => l.msg === 'route failed');
    assert.equal((logged?.error as { message: string }).message, 'handler bug');
  });

  test('each request is logged as one JSON line; probes only at debug level', async () => {
    await fetch(`${base}/?x=1`);
    const lines = logs.readLines();
    const request = lines.filter((l) => l.msg === 'request' && l.path === '/').at(-1);
    assert.ok(request, 'a request line for /');
    assert.equal(request.level, 30, 'pino level numbers: info');
    assert.equal(request.method, 'GET');
    assert.equal(request.status, 200);
    assert.equal(typeof request.durationMs, 'number');
    assert.equal(typeof request.time, 'number', 'epoch milliseconds, as pino writes it');
    const probe = lines.find((l) => l.msg === 'request' && l.path === '/healthz');
    assert.equal(probe?.level, 20, 'debug');
  });
});

test('PORT from the environment overrides the configured port', async () => {
  const logs = captureLogs();
  // The configured port 1 is privileged and would fail to bind; PORT=0 must win.
  const service = createService({
    name: 'p',
    version: '0',
    port: 1,
    env: { PORT: '0', HOST: '127.0.0.1' },
    logger: logs.logger,
  });
  const bound = await service.start();
  assert.notEqual(bound.port, 1);
  assert.equal(bound.host, '127.0.0.1');
  await service.stop();
  assert.equal(service.state, 'stopped');
});

test('a failing onStart aborts the start before listening', async () => {
  const logs = captureLogs();
  const service = createService({
    name: 'broken',
    version: '0',
    port: 0,
    host: '127.0.0.1',
    env: {},
    logger: logs.logger,
    onStart: () => Promise.reject(new Error('disk full')),
  });
  await assert.rejects(service.start(), /disk full/);
  assert.equal(service.server.listening, false);
});
