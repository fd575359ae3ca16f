import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readImageId, removeImageTag } from './docker-engine';

describe('docker engine helpers (real engine)', () => {
  it('reports a missing image as undefined rather than failing', async () => {
    assert.equal(await readImageId('edgeship-test/never-built:none'), undefined);
    await removeImageTag('edgeship-test/never-built:none');
  });
});
