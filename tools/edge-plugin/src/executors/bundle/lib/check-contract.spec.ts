import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkContract, socketActivateArgs } from './check-contract';
import { describeContractFailure } from './contract-failure';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..', '..');
const KIT_HTTP_SERVICE = join(REPO_ROOT, 'packages/service-kit/src/fixtures/frameworks/http-service.ts');

/** A one-file service run by this Node.js: what it does with the socket is the point of each case. */
const node = (source: string) => [process.execPath, '-e', source];

it('socketActivateArgs gives the service what the units give it on a node: socket, NOTIFY_SOCKET, PORT, HOST', () => {
  assert.deepEqual(socketActivateArgs(8101, '/tmp/n.sock', ['/dist/svc']), [
    '--listen',
    '127.0.0.1:8101',
    '-E',
    'PATH',
    '--setenv=NOTIFY_SOCKET=/tmp/n.sock',
    '--setenv=PORT=8101',
    '--setenv=HOST=127.0.0.1',
    '--setenv=NODE_ENV=production',
    '/dist/svc',
  ]);
});

describe('checkContract under systemd-socket-activate', () => {
  it('passes a service on service-kit: READY=1, /healthz, SIGTERM drains and exits 0', async () => {
    const seen = await checkContract({
      // Absolute: the check runs the service in a private working folder, where `--import tsx` would not resolve.
      command: [
        process.execPath,
        '--import',
        join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs'),
        KIT_HTTP_SERVICE,
      ],
      timeoutMs: 60_000,
    });
    assert.equal(seen.outcome, 'passed', seen.output);
    assert.deepEqual([seen.isReady, seen.isHealthy, seen.exitCode], [true, true, 0]);
  });

  it('catches a service that binds PORT itself: it dies with EADDRINUSE', async () => {
    const seen = await checkContract({
      command: node("require('http').createServer().listen(Number(process.env.PORT), process.env.HOST)"),
      timeoutMs: 30_000,
    });
    assert.equal(seen.outcome, 'exited-early');
    assert.match(seen.output, /EADDRINUSE/);
    assert.match(describeContractFailure('svc', seen)!, /svc binds its port itself/);
  });

  it('catches a service that answers on the inherited socket but never sends READY=1', async () => {
    const seen = await checkContract({
      command: node("require('http').createServer((q, s) => s.end('ok')).listen({ fd: 3 })"),
      timeoutMs: 3000,
    });
    assert.deepEqual([seen.outcome, seen.isHealthy, seen.isReady], ['timed-out', true, false]);
    assert.match(describeContractFailure('svc', seen)!, /never sent READY=1 within 3 s/);
  });

  it('catches a service that exits non-zero on SIGTERM', async () => {
    const seen = await checkContract({
      command: node(
        "require('http').createServer((q, s) => s.end('ok')).listen({ fd: 3 }, () => require('child_process').execFileSync('systemd-notify', ['READY=1'])); process.on('SIGTERM', () => process.exit(3))",
      ),
      timeoutMs: 30_000,
    });
    assert.deepEqual([seen.outcome, seen.exitCode], ['bad-stop', 3]);
  });
});
