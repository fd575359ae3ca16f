import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { basePinMismatch, readPackageVersions, recordBasePins, requireBasePin } from './base-pins';
import { computeBaseHash } from './base-rootfs';
import { PLATFORMS } from './platforms';

const PIN = {
  sha256: `sha256:${'a'.repeat(64)}`,
  packages: { libc6: '2.36-9+deb12u13', tzdata: '2025b-0+deb12u1' },
};

describe('the repository', () => {
  it('pins the base rootfs of every image platform for the current package list and recipe', () => {
    for (const platform of Object.values(PLATFORMS))
      assert.ok(requireBasePin(`${platform.debArch}-${computeBaseHash(platform.debArch)}`));
  });
});

describe('requireBasePin', () => {
  it('names the pin file, the key and the command that records it', () => {
    assert.throws(
      () => requireBasePin('arm64-000000000000', {}),
      (error: Error) =>
        error instanceof ConfigError &&
        error.message.startsWith(
          'tools/edge-plugin/src/executors/image/lib/pinned-bases.json: ["arm64-000000000000"].sha256 is missing. ' +
            'The repository records no checksum for the base rootfs arm64-000000000000',
        ) &&
        error.message.includes('Run `npm run pin-base -- --write`'),
    );
  });
});

describe('basePinMismatch', () => {
  it('says which Debian package versions moved', () => {
    const built = {
      sha256: `sha256:${'b'.repeat(64)}`,
      packages: { ...PIN.packages, libc6: '2.36-9+deb12u14' },
    };
    assert.match(
      basePinMismatch('arm64-x', built, PIN).message,
      /\["arm64-x"\]\.sha256 is "sha256:a{64}"\. The base rootfs built here has sha256:b{64}; nothing was cached\. Debian now serves other package versions \(libc6 2\.36-9\+deb12u13 → 2\.36-9\+deb12u14\)\./,
    );
  });

  it('says when the versions are the same, so the recipe or tools differ', () => {
    const built = { ...PIN, sha256: `sha256:${'b'.repeat(64)}` };
    assert.match(
      basePinMismatch('arm64-x', built, PIN).message,
      /the recipe or the tools that build the tar differ/,
    );
  });
});

describe('recordBasePins and readPackageVersions', () => {
  it('adds entries, keeps the others, sorts the keys', () => {
    const text = recordBasePins(JSON.stringify({ 'b-1': PIN }), { 'a-1': PIN });
    assert.deepEqual(Object.keys(JSON.parse(text)), ['a-1', 'b-1']);
  });

  it('reads each package version from dpkg-deb --field output', () => {
    assert.deepEqual(
      readPackageVersions({ tzdata: 'Package: tzdata\nVersion: 2025b-0+deb12u1\nArchitecture: all\n' }),
      {
        tzdata: '2025b-0+deb12u1',
      },
    );
  });
});
