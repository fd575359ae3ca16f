import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { findFreePort } from './fixtures/socket-activated';
import { waitFor } from './fixtures/test-helpers';
import type { LogFields } from './logger';

interface RunningFixture {
  child: ChildProcess;
  port: number;
  readLines(): LogFields[];
  exited: Promise<number | null>;
}

/** Starts fixtures/slow-service.ts as a real process, the way systemd would, and waits until it listens. */
async function startFixture(t: TestContext): Promise<RunningFixture> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'slow-service.ts')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NOTIFY_SOCKET: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGKILL'));
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const readLines = () =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogFields);
  await waitFor(() => readLines().some((l) => l.msg === 'listening'), 'the fixture to listen', 15_000);
  const port = Number(readLines().find((l) => l.msg === 'listening')!.port);
  return { child, port, readLines, exited };
}

function getSlow(port: number, ms: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/slow?ms=${ms}` }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('SIGTERM drains the in-flight request, then the process exits 0', async (t) => {
  const fixture = await startFixture(t);
  const response = getSlow(fixture.port, 600);
  await waitFor(() => fixture.readLines().some((l) => l.msg === 'slow request started'), 'the slow request');
  fixture.child.kill('SIGTERM');

  assert.deepEqual(await response, { status: 200, body: '{"sleptMs":600}' });
  assert.equal(await fixture.exited, 0);
  const messages = fixture.readLines().map((l) => l.msg);
  assert.ok(messages.indexOf('draining') < messages.indexOf('stopped'), messages.join(', '));
  assert.equal(fixture.readLines().find((l) => l.msg === 'draining')?.reason, 'SIGTERM');
});

test('a second signal while draining exits 1 at once', async (t) => {
  const fixture = await startFixture(t);
  const response = getSlow(fixture.port, 10_000).catch((error: Error) => error);
  await waitFor(() => fixture.readLines().some((l) => l.msg === 'slow request started'), 'the slow request');
  fixture.child.kill('SIGINT');
  await waitFor(() => fixture.readLines().some((l) => l.msg === 'draining'), 'draining');
  fixture.child.kill('SIGINT');

  assert.equal(await fixture.exited, 1);
  assert.ok((await response) instanceof Error, 'the unfinished request was cut');
});

test('serves on the socket systemd passes (socket activation), started by the first connection', async (t) => {
  const port = await findFreePort();
  // systemd-socket-activate does what a .socket unit does: it binds the port, waits for a connection,
  // then execs the service with LISTEN_FDS=1 and LISTEN_PID set to the service's pid.
  const child = spawn(
    'systemd-socket-activate',
    [
      '--listen',
      `127.0.0.1:${port}`,
      '--setenv=NOTIFY_SOCKET=',
      process.execPath,
      '--import',
      'tsx',
      join(__dirname, 'fixtures', 'slow-service.ts'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(() => stderr.includes('Listening on'), 'systemd-socket-activate to bind', 10_000);

  // Sent before the service runs: it waits in the socket's backlog instead of being refused.
  assert.deepEqual(await getSlow(port, 1), { status: 200, body: '{"sleptMs":1}' });
  const listening = stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogFields)
    .find((line) => line.msg === 'listening');
  assert.equal(listening?.socketActivated, true, stdout);
  assert.equal(listening?.port, port);
});
