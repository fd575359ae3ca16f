import '../test/log-to-stderr';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCommand } from '../../../lib/run-command';
import { resolveCacheRoot } from '../../bundle/lib/runtime-cache';
import { ensureBaseImage } from './base-image';
import { computeBaseHash } from './base-rootfs';
import { readImageId } from './docker-engine';
import { PLATFORMS } from './platforms';

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
});
