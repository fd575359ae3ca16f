import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MACHINE_CACHE_ROOT, readCachedDigest, resolveCacheRoot, runtimeCachePaths } from './runtime-cache';
import { hashFile } from '../sha256';
import { createTempWorkspace } from '../../executors/bundle/test/temp-folders';

describe('resolveCacheRoot', () => {
  it('prefers EDGESHIP_CACHE_DIR, resolved against the workspace', () => {
    assert.equal(
      resolveCacheRoot({ EDGESHIP_CACHE_DIR: '/srv/c' }, '/ws', () => true),
      '/srv/c',
    );
    assert.equal(
      resolveCacheRoot({ EDGESHIP_CACHE_DIR: 'cache' }, '/ws', () => true),
      '/ws/cache',
    );
  });

  it('uses the machine cache when writable, so fresh clones reuse it', () => {
    assert.equal(
      resolveCacheRoot({}, '/ws', () => true),
      MACHINE_CACHE_ROOT,
    );
  });

  it("falls back to the workspace's .edgeship/cache", () => {
    assert.equal(
      resolveCacheRoot({}, '/ws', () => false),
      '/ws/.edgeship/cache',
    );
  });
});

describe('runtimeCachePaths', () => {
  it('keys entries by version and arch', () => {
    assert.deepEqual(runtimeCachePaths('/var/cache/edgeship', '24.21.0', 'arm64'), {
      dir: '/var/cache/edgeship/node/24.21.0-arm64',
      node: '/var/cache/edgeship/node/24.21.0-arm64/node',
      source: '/var/cache/edgeship/node/24.21.0-arm64/source.json',
    });
  });
});

describe('readCachedDigest', () => {
  const root = createTempWorkspace({});
  const paths = runtimeCachePaths(root, '24.21.0', 'x64');
  mkdirSync(paths.dir, { recursive: true });

  it('is undefined without a binary', async () => {
    assert.equal(await readCachedDigest(paths), undefined);
  });

  it('hashes the binary itself on every call, whatever a checksum file beside it says', async () => {
    writeFileSync(paths.node, 'binary');
    writeFileSync(join(paths.dir, 'node.sha256'), `${await hashFile(paths.node)}  node\n`);
    assert.equal(await readCachedDigest(paths), `sha256:${await hashFile(paths.node)}`);
    writeFileSync(paths.node, 'binary, altered');
    assert.equal(
      await readCachedDigest(paths),
      `sha256:${createHash('sha256').update('binary, altered').digest('hex')}`,
    );
  });
});
