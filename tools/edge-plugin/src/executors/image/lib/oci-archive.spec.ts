import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeTinyImage } from '../test/tiny-image';
import { readOciArchive } from './oci-archive';
import { sha256File } from '../../../lib/sha256';

describe('OCI archive (real tar and zstd)', () => {
  it('round-trips index, manifest and config, and is byte-reproducible', async () => {
    const a = await writeTinyImage(
      mkdtempSync(join(tmpdir(), 'edgeship-oci-')),
      'hi',
      'edgeship-test/tiny:1',
    );
    const b = await writeTinyImage(
      mkdtempSync(join(tmpdir(), 'edgeship-oci-')),
      'hi',
      'edgeship-test/tiny:1',
    );
    assert.equal(await sha256File(a.archive), await sha256File(b.archive));
    const contents = await readOciArchive(a.archive);
    assert.equal(contents.manifestDigest, a.manifestDigest);
    assert.equal(contents.manifest.config.digest, a.configDigest);
    assert.equal(contents.manifest.layers[0]!.mediaType, 'application/vnd.oci.image.layer.v1.tar+zstd');
    assert.equal(JSON.parse(contents.config).config.User, '10001:10001');
    assert.equal(contents.refName, 'edgeship-test/tiny:1');
  });
});
