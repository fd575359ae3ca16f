import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatRevision, gitRevisionArgs, resolveSourceRevision } from './source-revision';
import { createTempWorkspace } from '../executors/bundle/test/temp-folders';

describe('formatRevision', () => {
  const sha = 'a'.repeat(40);
  it('shortens a commit and marks uncommitted inputs', () => {
    assert.equal(formatRevision(`${sha}\n`, ''), 'aaaaaaaaaaaa');
    assert.equal(formatRevision(sha, ' M packages/a/src/main.ts'), 'aaaaaaaaaaaa-dirty');
  });
  it('is undefined when git printed no commit', () => {
    assert.equal(formatRevision('', ''), undefined);
  });
  it('asks git only about the given paths', () => {
    assert.deepEqual(gitRevisionArgs(['packages/a', 'package.json']), [
      'log',
      '-1',
      '--format=%H',
      '--',
      'packages/a',
      'package.json',
    ]);
  });
});

describe('resolveSourceRevision', () => {
  it('is the last commit that touched the inputs, not HEAD', async () => {
    const root = createTempWorkspace({ 'packages/a/main.ts': '1', 'packages/b/main.ts': '1' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'both');
    const touchedA = git('rev-parse', 'HEAD');
    writeFileSync(join(root, 'packages/b/main.ts'), '2');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'only b');
    assert.equal(await resolveSourceRevision(root, ['packages/a']), touchedA.slice(0, 12));
    writeFileSync(join(root, 'packages/a/main.ts'), '3');
    assert.equal(await resolveSourceRevision(root, ['packages/a']), `${touchedA.slice(0, 12)}-dirty`);
  });

  it('is undefined outside a git work tree', async () => {
    assert.equal(await resolveSourceRevision(createTempWorkspace({ 'a.ts': '' }), ['a.ts']), undefined);
  });
});
