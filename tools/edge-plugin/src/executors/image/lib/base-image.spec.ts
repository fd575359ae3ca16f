import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@edgeship/edge-common';
import { captureOutput, logToStderr } from '@edgeship/edge-common/testing';
import { resolveCacheRoot } from '../../bundle/lib/runtime-cache';
import { ensureBaseImage } from './base-image';
import { requireBasePin } from './base-pins';
import { computeBaseHash } from './base-rootfs';
import { readImageId } from './docker-engine';
import { PLATFORMS } from './platforms';
import { sha256File } from './reproducible-tar';

// Node 20's test runner reads this file's stdout as its report channel: the logger writes to stderr.
logToStderr();

describe('ensureBaseImage (real apt, dpkg-deb, buildx; cached per package list)', () => {
  it('gives an arm64 rootfs with glibc, libstdc++, CA bundle, tzdata, passwd — and no shell, no package manager', async () => {
    const base = await ensureBaseImage(
      PLATFORMS['linux/arm64'],
      resolveCacheRoot(process.env, process.cwd()),
    );
    assert.equal(base.hash, computeBaseHash('arm64'));
    assert.match(base.tarball, /base\/arm64-[0-9a-f]{12}\.tar$/);
    assert.ok((await readImageId(base.tag))?.startsWith('sha256:'));
    const files = (await runCommand('tar', ['--list', `--file=${base.tarball}`])).stdout.split('\n');
    for (const needed of [
      'lib/ld-linux-aarch64.so.1',
      'lib/aarch64-linux-gnu/libc.so.6',
      'usr/lib/aarch64-linux-gnu/libstdc++.so.6',
      'lib/aarch64-linux-gnu/libgcc_s.so.1',
      'etc/ssl/certs/ca-certificates.crt',
      'usr/share/zoneinfo/Europe/Paris',
      'etc/passwd',
      'etc/localtime',
      'tmp/',
    ]) {
      assert.ok(files.includes(needed), needed);
    }
    for (const file of files)
      assert.doesNotMatch(
        file,
        /^(bin|sbin|usr\/bin|usr\/sbin)\/|\/(sh|bash|dpkg|apt)$|usr\/share\/(doc|locale|man)\/|gconv/,
        file,
      );
    const again = await ensureBaseImage(
      PLATFORMS['linux/arm64'],
      resolveCacheRoot(process.env, process.cwd()),
    );
    assert.equal(again.isFromCache, true);
  });

  it('hashes the cached tar on every use: one altered on disk is reported and built again, as pinned', async () => {
    // A cache root of its own: the machine cache is shared with other builds.
    const cacheRoot = await mkdtemp(join(tmpdir(), 'edgeship-base-cache-'));
    try {
      const platform = PLATFORMS['linux/arm64'];
      const pin = requireBasePin(`arm64-${computeBaseHash('arm64')}`);
      const first = await captureOutput(() => ensureBaseImage(platform, cacheRoot));
      assert.equal(await sha256File(first.result.tarball), pin.sha256, 'a fresh build is the pinned tar');
      const fd = openSync(first.result.tarball, 'r+');
      const byte = Buffer.alloc(1);
      readSync(fd, byte, 0, 1, 1_000_000);
      writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, 1_000_000);
      closeSync(fd);
      const altered = await sha256File(first.result.tarball);
      const again = await captureOutput(() => ensureBaseImage(platform, cacheRoot));
      assert.equal(again.result.isFromCache, false);
      assert.ok(
        again.output.includes(
          `base cache entry ${first.result.tarball} has ${altered}, not the pinned ${pin.sha256}: it was altered on disk. Building it again.`,
        ),
        again.output,
      );
      assert.equal(await sha256File(again.result.tarball), pin.sha256);
    } finally {
      await rm(cacheRoot, { recursive: true, force: true });
    }
  });
});
