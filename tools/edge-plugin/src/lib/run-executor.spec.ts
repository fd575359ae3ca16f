import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, ToolError } from '@edgeship/edge-common';
import { captureOutput } from '@edgeship/edge-common/testing';
import { runExecutor } from './run-executor';

describe('runExecutor', () => {
  it("passes the work's own result through, a failure included, and says nothing of its own", async () => {
    const { result, output } = await captureOutput(() => runExecutor(async () => ({ success: false })));
    assert.deepEqual(result, { success: false });
    assert.equal(output, '');
    assert.deepEqual(await runExecutor(async () => ({ success: true })), { success: true });
  });

  it('turns a mistake the user can fix into a failed task and one line, without a stack', async () => {
    const { result, output } = await captureOutput(() =>
      runExecutor(async () => {
        throw new ConfigError('packages/svc/package.json', 'version', 'one', 'Use a semver version.');
      }),
    );
    assert.deepEqual(result, { success: false });
    assert.equal(output, '✖ packages/svc/package.json: version is "one". Use a semver version.');
  });

  it("keeps a tool's own stderr, and the stack of an unexpected error", async () => {
    const tool = await captureOutput(() =>
      runExecutor(async () => {
        throw new ToolError('docker was killed by SIGTERM', 'docker build .', undefined, 'interrupted');
      }),
    );
    assert.equal(tool.output, '✖ docker was killed by SIGTERM\n--- docker build . said:\ninterrupted');
    const bug = await captureOutput(() =>
      runExecutor(async () => {
        throw new TypeError('x is undefined');
      }),
    );
    assert.deepEqual(bug.result, { success: false });
    assert.match(bug.output, /^✖ TypeError: x is undefined\n {4}at /);
  });
});
