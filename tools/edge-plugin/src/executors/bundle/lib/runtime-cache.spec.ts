import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  formatChecksum,
  hashFile,
  isRuntimeCached,
  MACHINE_CACHE_ROOT,
  resolveCacheRoot,
  runtimeCachePaths,
} from './runtime-cache';
import { createTempWorkspace } from '../test/temp-folders';

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
      checksum: '/var/cache/edgeship/node/24.21.0-arm64/node.sha256',
      source: '/var/cache/edgeship/node/24.21.0-arm64/source.json',
    });
  });
});

describe('isRuntimeCached', () => {
  const root = createTempWorkspace({});
  const paths = runtimeCachePaths(root, '24.21.0', 'x64');
  mkdirSync(paths.dir, { recursive: true });

  it('is false without a checksum file', async () => {
    writeFileSync(paths.node, 'binary');
    assert.equal(await isRuntimeCached(paths), false);
  });

  it('is true when the checksum matches', async () => {
    writeFileSync(paths.checksum, formatChecksum(await hashFile(paths.node)));
    assert.equal(await isRuntimeCached(paths), true);
  });

  it('is false once the binary changed (torn write, edit)', async () => {
    writeFileSync(paths.node, 'binary, truncated');
    assert.equal(await isRuntimeCached(paths), false);
  });
});
