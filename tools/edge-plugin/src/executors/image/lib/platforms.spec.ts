import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { archiveName, parsePlatforms, PLATFORMS } from './platforms';

describe('parsePlatforms', () => {
  it('defaults to arm64 first, then amd64', () => {
    assert.deepEqual(
      parsePlatforms(undefined, 'f').map((p) => p.platform),
      ['linux/arm64', 'linux/amd64'],
    );
  });

  it('keeps the order given and drops duplicates', () => {
    assert.deepEqual(
      parsePlatforms(['linux/amd64', 'linux/arm64', 'linux/amd64'], 'f').map((p) => p.platform),
      ['linux/amd64', 'linux/arm64'],
    );
  });

  it('names an unknown platform, the supported ones, and suggests the docker name for a near miss', () => {
    assert.throws(
      () => parsePlatforms(['linux/riscv64'], 'packages/a image options'),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /packages\/a image options: platforms is "linux\/riscv64"\. Supported platforms are linux\/arm64, linux\/amd64/,
        );
        return true;
      },
    );
    assert.throws(() => parsePlatforms(['x64'], 'f'), /Did you mean "linux\/amd64"\?/);
    assert.throws(() => parsePlatforms(['aarch64'], 'f'), /Did you mean "linux\/arm64"\?/);
  });

  it('refuses an empty list and non-strings', () => {
    assert.throws(() => parsePlatforms([], 'f'), ConfigError);
    assert.throws(() => parsePlatforms([42], 'f'), ConfigError);
  });

  it('maps each platform to the names Debian and Node.js use', () => {
    assert.equal(PLATFORMS['linux/amd64'].nodeArch, 'x64');
    assert.equal(PLATFORMS['linux/amd64'].triplet, 'x86_64-linux-gnu');
    assert.equal(PLATFORMS['linux/arm64'].debArch, 'arm64');
  });
});

describe('archiveName', () => {
  it('follows dist/<svc>/image/<svc>-linux-<arch>.tar', () => {
    assert.equal(archiveName('hello-edge', PLATFORMS['linux/arm64']), 'hello-edge-linux-arm64.tar');
    assert.equal(archiveName('hello-edge', PLATFORMS['linux/amd64']), 'hello-edge-linux-amd64.tar');
  });
});
