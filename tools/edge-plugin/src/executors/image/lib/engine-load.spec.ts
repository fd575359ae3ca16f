import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readImageId, removeImageTag } from './docker-engine';
import { ensureImageInEngine } from './engine-load';
import { writeTinyImage } from '../test/tiny-image';

describe('ensureImageInEngine (real docker engine 20.10, which reads neither OCI layouts nor zstd)', () => {
  const tag = `edgeship-test/tiny:${process.pid}`;
  after(() => removeImageTag(tag));

  it('loads a zstd OCI archive under its tag, with the archive’s config digest as image id, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeship-load-'));
    const image = await writeTinyImage(dir, `loaded ${Date.now()}`, tag);
    assert.equal(await readImageId(tag), undefined);
    assert.equal(await ensureImageInEngine(image.archive, tag, dir), true);
    assert.equal(await readImageId(tag), image.configDigest);
    assert.equal(await ensureImageInEngine(image.archive, tag, dir), false);
  });
});
