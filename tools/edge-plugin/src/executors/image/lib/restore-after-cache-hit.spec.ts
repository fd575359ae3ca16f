import assert from 'node:assert/strict';
import type { TaskResult } from '@nx/devkit';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findRestoredImageDirs } from './restore-after-cache-hit';

function result(project: string, target: string, status: TaskResult['status']): TaskResult {
  return {
    task: {
      id: `${project}:${target}`,
      target: { project, target },
      overrides: {},
      outputs: [`dist/${project}/${target}`],
      cache: true,
    },
    status,
    code: 0,
  } as TaskResult;
}

describe('findRestoredImageDirs', () => {
  it('picks image tasks answered from a cache whose output holds an image record', () => {
    const root = mkdtempSync(join(tmpdir(), 'edgeship-hook-'));
    for (const svc of ['a', 'b', 'c', 'd']) {
      mkdirSync(join(root, 'dist', svc, 'image'), { recursive: true });
      if (svc !== 'd') writeFileSync(join(root, 'dist', svc, 'image', 'image.json'), '{}');
    }
    const dirs = findRestoredImageDirs(
      [
        result('a', 'image', 'local-cache'),
        result('b', 'image', 'success'),
        result('c', 'image', 'remote-cache'),
        result('a', 'bundle', 'local-cache'),
        result('d', 'image', 'local-cache-kept-existing'),
      ],
      root,
    );
    assert.deepEqual(dirs, [join(root, 'dist/a/image'), join(root, 'dist/c/image')]);
  });
});
