/**
 * Issue 12: "A cached runtime altered on disk: bundle refuses and re-fetches or fails clearly." The bundle
 * executor runs on a fixture service with its own cache root (EDGESHIP_CACHE_DIR, never the machine cache),
 * whose runtime entry is then changed byte by byte, as anyone who can write the cache could.
 */
import assert from 'node:assert/strict';
import { existsSync, openSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { captureOutput, executorContext, logToStderr } from '@edgeship/edge-common/testing';
import bundleExecutor from '../bundle.impl';
import { hashFile, runtimeCachePaths } from '../lib/runtime-cache';
import { readPinnedRuntime } from '../lib/runtime-version';
import { findClosedPort } from './fake-registry';
import { createServiceWorkspace, REPO_ROOT } from './fixture-service';
import { createTempDir } from './temp-folders';

logToStderr();

/** The runtime of the arch this machine runs natively: the contract check runs the executable built with it. */
const ARCH = process.arch === 'arm64' ? 'arm64' : 'x64';
const { version, pins } = readPinnedRuntime(REPO_ROOT);
const PINNED = pins[version]![ARCH]!.strippedNode;

/** Flips one byte well inside the binary: same size, same mtime resolution a quick check would miss. */
function alterByte(file: string, offset = 40_000_000): void {
  const fd = openSync(file, 'r+');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, offset);
    writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}

describe('bundle with a cached runtime altered on disk', () => {
  const saved = { ...process.env };
  const cacheDir = createTempDir('edgeship-tampered-cache-');
  const entry = runtimeCachePaths(cacheDir, version, ARCH);
  const { root, name } = createServiceWorkspace();
  const bundle = () =>
    captureOutput(() => bundleExecutor({ archs: [ARCH] }, executorContext(root, name, `packages/${name}`)));

  before(async () => {
    process.env = { ...saved, EDGESHIP_CACHE_DIR: cacheDir };
    const { result, output } = await bundle();
    assert.equal(result.success, true, output);
    assert.equal(
      `sha256:${await hashFile(entry.node)}`,
      PINNED,
      'the first bundle cached the pinned runtime',
    );
  });
  after(() => {
    process.env = saved;
  });

  it('says so, fetches the pinned runtime again and builds with it', async () => {
    alterByte(entry.node);
    const altered = `sha256:${await hashFile(entry.node)}`;
    assert.notEqual(altered, PINNED);
    const { result, output } = await bundle();
    assert.equal(result.success, true, output);
    assert.ok(
      output.includes(
        `runtime cache entry ${entry.node} has ${altered}, not the ${PINNED} that package.json ` +
          `(edgeship.runtime.integrity) records for Node.js ${version} ${ARCH}: it was altered on disk. Fetching it again.`,
      ),
      output,
    );
    assert.match(output, new RegExp(`fetching node-linux-${ARCH}@${version} with npm pack`));
    assert.equal(`sha256:${await hashFile(entry.node)}`, PINNED, 'the cache holds the pinned runtime again');
    assert.match(output, /✔ contract check: fixture-edge under systemd-socket-activate/);
  });

  it('fails clearly, building nothing, when the runtime cannot be fetched again', async () => {
    alterByte(entry.node);
    process.env = {
      ...saved,
      EDGESHIP_CACHE_DIR: cacheDir,
      npm_config_registry: `http://127.0.0.1:${await findClosedPort()}/`,
      npm_config_cache: createTempDir('edgeship-empty-npm-cache-'),
      npm_config_fetch_retries: '0',
    };
    const { result, output } = await bundle();
    assert.equal(result.success, false);
    assert.ok(output.includes(`runtime cache entry ${entry.node} has sha256:`), output);
    assert.match(
      output,
      new RegExp(`could not download node-linux-${ARCH}@${version}\\. Check that npm reaches its registry`),
    );
    assert.equal(existsSync(join(root, 'dist', name, 'bin')), false, 'no executable in dist/');
    assert.notEqual(
      `sha256:${await hashFile(entry.node)}`,
      PINNED,
      'the altered entry was not used, only left',
    );
  });
});
