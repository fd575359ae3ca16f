import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ToolError } from '@edgeship/edge-common';
import { captureOutput } from '@edgeship/edge-common/testing';
import { createTempDir } from '../test/temp-folders';
import { verifyContract } from './verify-contract';

/** A stand-in "executable": a script that starts this Node.js on a one-line service. */
function writeExecutable(source: string): string {
  const file = join(createTempDir('edgeship-contract-exe-'), 'svc-linux-x64');
  writeFileSync(file, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} -e ${JSON.stringify(source)}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('verifyContract', () => {
  it('refuses an executable that binds its port itself, with the contract, the fix and its output', async () => {
    const file = writeExecutable(
      "require('http').createServer().listen(Number(process.env.PORT), process.env.HOST)",
    );
    const { output } = await captureOutput(async () => {
      await assert.rejects(
        verifyContract({
          service: 'svc',
          executables: [{ arch: 'x64', file }],
          hostArch: 'x64',
          timeoutMs: 30_000,
          workspaceRoot: '/',
        }),
        (error: unknown) => {
          assert.ok(error instanceof ToolError);
          assert.match(
            error.message,
            /contract check failed: svc binds its port itself \(listen EADDRINUSE\)/,
          );
          assert.match(error.message, /Fix: .*runEdgeServer\(app/);
          assert.match(
            error.message,
            /systemd-socket-activate --listen 127\.0\.0\.1:<port> .*svc-linux-x64 \(NOTIFY_SOCKET set\) said:\n[\s\S]*EADDRINUSE/,
          );
          return true;
        },
      );
    });
    assert.match(output, /contract check: svc under systemd-socket-activate/);
  });

  it('warns instead of emulating when no executable runs natively here', async () => {
    const { output } = await captureOutput(() =>
      verifyContract({
        service: 'svc',
        executables: [{ arch: 'arm64', file: '/nonexistent' }],
        hostArch: 'x64',
        timeoutMs: 1000,
        workspaceRoot: '/',
      }),
    );
    assert.match(output, /contract not checked: no linux-x64 executable/);
  });
});
