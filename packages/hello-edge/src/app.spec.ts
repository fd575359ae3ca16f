import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createLogger, type Service } from '@edgeship/service-kit';
import { createHelloApp } from './app';

let service: Service;
let base: string;

before(async () => {
  const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  service = createHelloApp({ port: 0, host: '127.0.0.1', env: {}, logger: createLogger({ stream: quiet }) });
  const { port } = await service.start();
  base = `http://127.0.0.1:${port}`;
});
after(() => service.stop());

test('GET / greets with the node name and architecture', async () => {
  const res = await fetch(`${base}/`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { message: 'Hello, edge!', node: hostname(), arch: process.arch });
});

test('GET /?name= greets by name and refuses names that are not plain text', async () => {
  assert.equal(
    ((await (await fetch(`${base}/?name=Ada`)).json()) as { message: string }).message,
    'Hello, Ada!',
  );
  assert.equal((await fetch(`${base}/?name=${encodeURIComponent('<script>')}`)).status, 400);
});

test('/version names this package and /readyz is ready', async () => {
  const version = (await (await fetch(`${base}/version`)).json()) as Record<string, string>;
  assert.equal(version.name, 'hello-edge');
  assert.equal(version.version, '1.0.0');
  assert.equal(version.revision, 'unknown');
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
});
