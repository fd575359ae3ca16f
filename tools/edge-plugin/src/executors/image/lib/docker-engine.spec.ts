import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineArgs, readImageId, removeImageTag } from './docker-engine';

describe('docker engine helpers (real engine)', () => {
  it('reports a missing image as undefined rather than failing', async () => {
    assert.equal(await readImageId('edgeship-test/never-built:none'), undefined);
    await removeImageTag('edgeship-test/never-built:none');
  });

  it("addresses a remote builder's engine by context name or URL, the current one by nothing", () => {
    assert.deepEqual(engineArgs(undefined), []);
    assert.deepEqual(engineArgs('arm64-box'), ['--context', 'arm64-box']);
    assert.deepEqual(engineArgs('ssh://builder@arm64-host'), ['--host', 'ssh://builder@arm64-host']);
  });
});
