import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEsbuildOptions, type EsbuildInput } from './esbuild-options';

const input: EsbuildInput = {
  workspaceRoot: '/ws',
  entry: '/ws/packages/a/src/main.ts',
  outfile: '/ws/.edgeship/tmp/x/bundle/main.js',
  tsconfig: '/ws/tsconfig.base.json',
  nodeVersion: '24.21.0',
  minify: true,
  sourcemap: true,
  revision: '0123456789ab',
};

describe('createEsbuildOptions', () => {
  const options = createEsbuildOptions(input);

  it('bundles everything into one minified CommonJS file for the pinned runtime', () => {
    assert.equal(options.bundle, true);
    assert.equal(options.format, 'cjs');
    assert.equal(options.platform, 'node');
    assert.equal(options.target, 'node24.21.0');
    assert.equal(options.minify, true);
    assert.deepEqual(options.external, []);
  });

  it('keeps the source map beside the bundle, not inside it', () => {
    assert.equal(options.sourcemap, 'linked');
    assert.equal(createEsbuildOptions({ ...input, sourcemap: false }).sourcemap, false);
  });

  it('bakes the revision service-kit reports, empty when unknown', () => {
    assert.deepEqual(options.define, { __EDGESHIP_REVISION__: '"0123456789ab"' });
    assert.deepEqual(createEsbuildOptions({ ...input, revision: undefined }).define, {
      __EDGESHIP_REVISION__: '""',
    });
  });

  it('resolves workspace libraries through the given tsconfig', () => {
    assert.equal(options.tsconfig, '/ws/tsconfig.base.json');
    assert.equal(options.absWorkingDir, '/ws');
  });
});
