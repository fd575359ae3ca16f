import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { createLogger } from '@edgeship/service-kit';
import { createGatewayApp } from './app';
import { deferCleanup } from './fixtures/cleanup';

const quiet = createLogger({ stream: new Writable({ write: (_chunk, _encoding, callback) => callback() }) });
const reading = {
  sensorId: 'field-7',
  ts: '2025-06-01T12:00:00Z',
  metric: 'soil_moisture',
  value: 0.31,
  unit: 'm3/m3',
};

function makeDataDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-'));
  deferCleanup(t, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startGateway(t: TestContext, dataDir: string) {
  const service = createGatewayApp({ port: 0, host: '127.0.0.1', env: { DATA_DIR: dataDir }, logger: quiet });
  deferCleanup(t, () => service.stop());
  const { port } = await service.start();
  const base = `http://127.0.0.1:${port}`;
  const post = (body: unknown) =>
    fetch(`${base}/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const getReadings = async (query = '') => {
    const res = await fetch(`${base}/readings${query}`);
    return {
      status: res.status,
      body: (await res.json()) as { count: number; readings: Array<{ value: number }> },
    };
  };
  return { service, base, post, getReadings };
}

test('POST /readings stores one reading or a batch and answers 202', async (t) => {
  const gateway = await startGateway(t, makeDataDir(t));
  assert.equal((await fetch(`${gateway.base}/readyz`)).status, 200);
  const one = await gateway.post(reading);
  assert.equal(one.status, 202);
  assert.deepEqual(await one.json(), { accepted: 1 });
  const batch = await gateway.post([1, 2, 3].map((value) => ({ ...reading, value })));
  assert.deepEqual(await batch.json(), { accepted: 3 });

  const { body } = await gateway.getReadings('?limit=2');
  assert.equal(body.count, 2);
  assert.deepEqual(
    body.readings.map((r) => r.value),
    [2, 3],
  );
  assert.match((body.readings[0] as unknown as { receivedAt: string }).receivedAt, /^\d{4}-/);
});

test('invalid readings get 400 with the validation issues, and nothing is stored', async (t) => {
  const gateway = await startGateway(t, makeDataDir(t));
  const res = await gateway.post([reading, { ...reading, value: 'wet', extra: true }]);
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: string; issues: Array<{ path: string; code: string }> };
  assert.equal(body.error, 'invalid readings');
  assert.deepEqual(
    body.issues.map((issue) => issue.path),
    ['[1].value', '[1]'],
  );
  assert.equal((await gateway.post('{"sensorId":')).status, 400);
  assert.equal((await gateway.getReadings()).body.count, 0);
});

test('GET /readings refuses a limit outside 1..recent capacity', async (t) => {
  const gateway = await startGateway(t, makeDataDir(t));
  assert.equal((await gateway.getReadings('?limit=0')).status, 400);
  assert.equal((await gateway.getReadings('?limit=abc')).status, 400);
  assert.equal((await gateway.getReadings('?limit=1000')).status, 200);
  assert.equal((await gateway.getReadings('?limit=1001')).status, 400);
});

test('a restarted gateway still serves every acknowledged reading', async (t) => {
  const dataDir = makeDataDir(t);
  const first = await startGateway(t, dataDir);
  for (let value = 1; value <= 5; value += 1)
    assert.equal((await first.post({ ...reading, value })).status, 202);
  await first.service.stop();

  const second = await startGateway(t, dataDir);
  const { body } = await second.getReadings();
  assert.deepEqual(
    body.readings.map((r) => r.value),
    [1, 2, 3, 4, 5],
  );
});

test('the gateway does not listen (so never reports ready) when the spool cannot open', async (t) => {
  const blocker = join(makeDataDir(t), 'not-a-dir');
  writeFileSync(blocker, '');
  const service = createGatewayApp({
    port: 0,
    host: '127.0.0.1',
    env: { DATA_DIR: join(blocker, 'spool') },
    logger: quiet,
  });
  await assert.rejects(service.start(), /ENOTDIR|EEXIST/);
  assert.equal(service.server.listening, false);
});
