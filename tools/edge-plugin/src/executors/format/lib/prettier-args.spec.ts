import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseUnformattedFiles, prettierArgs } from './prettier-args';

describe('prettierArgs', () => {
  it('checks by default and writes with fix', () => {
    assert.deepEqual(prettierArgs('packages/a', false), [
      '--check',
      '--no-color',
      '--log-level',
      'warn',
      'packages/a',
    ]);
    assert.equal(prettierArgs('packages/a', true)[0], '--write');
  });
});

describe('parseUnformattedFiles', () => {
  it('keeps every file name and drops the summary line', () => {
    const output = [
      '[warn] packages/a/src/main.ts',
      '[warn] packages/a/README.md',
      '[warn] Code style issues found in 2 files. Run Prettier with --write to fix.',
    ].join('\n');
    assert.deepEqual(parseUnformattedFiles(output), ['packages/a/src/main.ts', 'packages/a/README.md']);
  });

  it('finds nothing in clean output', () => {
    assert.deepEqual(parseUnformattedFiles(''), []);
  });
});
