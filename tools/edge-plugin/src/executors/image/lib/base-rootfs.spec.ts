import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aptDownloadSpecs,
  BASE_PACKAGES,
  baseImageTag,
  computeBaseHash,
  concatCertificates,
  isRuntimePath,
  renderEtcFiles,
} from './base-rootfs';

describe('computeBaseHash', () => {
  it('is stable for the same arch and package list, in any order', () => {
    assert.equal(computeBaseHash('arm64'), computeBaseHash('arm64', [...BASE_PACKAGES].reverse()));
    assert.match(computeBaseHash('arm64'), /^[0-9a-f]{12}$/);
  });

  it('changes with the arch and with the package list', () => {
    assert.notEqual(computeBaseHash('arm64'), computeBaseHash('amd64'));
    assert.notEqual(
      computeBaseHash('arm64'),
      computeBaseHash('arm64', [...BASE_PACKAGES, { name: 'libssl3', perArch: true }]),
    );
  });

  it('names the cache image after the hash', () => {
    assert.equal(baseImageTag('arm64', 'abc123abc123'), 'edgeship-base:arm64-abc123abc123');
  });
});

describe('aptDownloadSpecs', () => {
  it('asks for per-arch libraries of the target arch and arch-independent data as is', () => {
    assert.deepEqual(aptDownloadSpecs('arm64'), [
      'libc6:arm64',
      'libstdc++6:arm64',
      'libgcc-s1:arm64',
      'ca-certificates',
      'tzdata',
    ]);
  });
});

describe('isRuntimePath', () => {
  const keep = (path: string) => isRuntimePath(path, 'aarch64-linux-gnu');
  it('keeps the loader, the shared libraries and time zones', () => {
    for (const path of [
      'lib/ld-linux-aarch64.so.1',
      'lib/aarch64-linux-gnu/libc.so.6',
      'lib/aarch64-linux-gnu/libgcc_s.so.1',
      'usr/lib/aarch64-linux-gnu/libstdc++.so.6',
      'usr/lib/aarch64-linux-gnu/libstdc++.so.6.0.30',
      'usr/share/zoneinfo/Europe/Paris',
      'usr/share/zoneinfo/Etc/UTC',
    ]) {
      assert.equal(keep(path), true, path);
    }
    assert.equal(isRuntimePath('lib64/ld-linux-x86-64.so.2', 'x86_64-linux-gnu'), true);
  });

  it('drops docs, gconv, debug helpers, tools, single certificates and leap-second zones', () => {
    for (const path of [
      'usr/share/doc/libc6/copyright',
      'usr/share/lintian/overrides/libc6',
      'usr/lib/aarch64-linux-gnu/gconv/UTF-16.so',
      'usr/lib/aarch64-linux-gnu/audit/sotruss-lib.so',
      'lib/aarch64-linux-gnu/libmemusage.so',
      'lib/aarch64-linux-gnu/libthread_db.so.1',
      'usr/sbin/update-ca-certificates',
      'usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt',
      'usr/share/gcc/python/libstdcxx/__init__.py',
      'usr/share/zoneinfo/right/Europe/Paris',
      'etc/ld.so.conf.d/aarch64-linux-gnu.conf',
      'lib/x86_64-linux-gnu/libc.so.6',
    ]) {
      assert.equal(keep(path), false, path);
    }
  });
});

describe('renderEtcFiles', () => {
  it('declares the non-root service user 10001 with no login shell', () => {
    const files = renderEtcFiles();
    assert.match(files['etc/passwd']!, /^edge:x:10001:10001:[^:]*:\/nonexistent:\/sbin\/nologin$/m);
    assert.match(files['etc/group']!, /^edge:x:10001:$/m);
    assert.doesNotMatch(files['etc/passwd']!, /\/bin\/(ba)?sh/);
  });
});

describe('concatCertificates', () => {
  it('concatenates in C-locale name order and ends every certificate with a newline', () => {
    const bundle = concatCertificates([
      { name: 'b.crt', pem: 'B' },
      { name: 'A.crt', pem: 'A\n' },
      { name: 'a.crt', pem: 'a' },
    ]);
    assert.equal(bundle, 'A\na\nB\n');
  });
});
