import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findSpecFiles, nodeTestArgs } from './find-spec-files';

describe('findSpecFiles', () => {
  it('finds specs and skips dependencies, outputs and templates', () => {
    const root = mkdtempSync(join(tmpdir(), 'specs-'));
    for (const file of [
      'src/a.spec.ts',
      'src/deep/b.spec.ts',
      'src/a.ts',
      'node_modules/x/c.spec.ts',
      'files/d.spec.ts',
    ]) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), '');
    }
    assert.deepEqual(findSpecFiles(root), [join(root, 'src/a.spec.ts'), join(root, 'src/deep/b.spec.ts')]);
    assert.deepEqual(findSpecFiles(root, 'deep'), [join(root, 'src/deep/b.spec.ts')]);
  });
});

describe('nodeTestArgs', () => {
  it('loads tsx and runs node:test on the files', () => {
    assert.deepEqual(nodeTestArgs(['a.spec.ts']), ['--import', 'tsx', '--test', 'a.spec.ts']);
  });

  it('runs at most the given number of files at once', () => {
    assert.deepEqual(nodeTestArgs(['a.spec.ts', 'b.spec.ts'], 1), [
      '--test-concurrency=1',
      '--import',
      'tsx',
      '--test',
      'a.spec.ts',
      'b.spec.ts',
    ]);
  });
});
