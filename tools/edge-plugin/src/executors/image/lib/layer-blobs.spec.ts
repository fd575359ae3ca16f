import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { blobCacheName, compressArgs, compressLayer } from './layer-blobs';
import { sha256File } from '../../../lib/sha256';

describe('compressArgs', () => {
  it('uses multi-threaded zstd (same bytes for any core count) and name-less gzip', () => {
    assert.deepEqual(compressArgs('zstd', 19, 'in', 'out'), ['-q', '-f', '-19', '-T0', '-o', 'out', 'in']);
    assert.ok(compressArgs('zstd', 22, 'in', 'out').includes('--ultra'));
    assert.ok(compressArgs('gzip', 9, 'in', 'out').includes('--no-name'));
  });

  it('keys the cache by content, algorithm and level', () => {
    assert.equal(blobCacheName('sha256:ab', 'zstd', 19), 'ab.zstd-19');
  });
});

describe('compressLayer (real zstd and gzip)', () => {
  for (const compression of ['zstd', 'gzip'] as const) {
    it(`${compression}: same input gives the same blob, and a cached blob is reused`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'edgeship-blob-'));
      const cache = join(dir, 'cache');
      const digests = [];
      for (const name of ['a.tar', 'b.tar']) {
        writeFileSync(join(dir, name), 'layer content '.repeat(1000));
        const blob = await compressLayer(
          join(dir, name),
          await sha256File(join(dir, name)),
          compression,
          3,
          name === 'a.tar' ? undefined : cache,
        );
        digests.push(blob.digest);
        assert.equal(blob.mediaType, `application/vnd.oci.image.layer.v1.tar+${compression}`);
        assert.ok(blob.size < 1000);
      }
      assert.equal(digests[0], digests[1]);
      const again = await compressLayer(
        '/nonexistent.tar',
        await sha256File(join(dir, 'b.tar')),
        compression,
        3,
        cache,
      );
      assert.equal(again.digest, digests[0]);
      assert.ok(existsSync(again.path));
    });
  }
});
