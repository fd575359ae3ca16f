import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commitAll, git } from '@edgeship/edge-common/testing';
import { buildTouchedFilesCommands, hasTouchedFiles } from './touched-files';

describe('buildTouchedFilesCommands', () => {
  it('diffs base to head when a head is given, as nx affected does', () => {
    assert.deepEqual(buildTouchedFilesCommands('m', 'h'), [
      ['diff', '--name-only', '--no-renames', '--relative', '-z', 'm', 'h'],
    ]);
  });

  it('adds uncommitted and untracked files without a head', () => {
    assert.deepEqual(buildTouchedFilesCommands('m', undefined), [
      ['diff', '--name-only', '--no-renames', '--relative', '-z', 'm', 'HEAD'],
      ['diff', '--name-only', '--no-renames', '--relative', '-z', 'HEAD', '.'],
      ['ls-files', '--others', '--exclude-standard', '-z'],
    ]);
  });
});

describe('hasTouchedFiles', () => {
  let root: string;
  let first: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'edgeship-touched-'));
    git(root, ['init', '-q', '-b', 'main']);
    writeFileSync(join(root, 'a.txt'), 'a\n');
    commitAll(root, 'first');
    first = git(root, ['rev-parse', 'HEAD']).trim();
  });
  after(() => rmSync(root, { recursive: true, force: true }));
  const scope = (baseSha: string, head?: string) =>
    ({ kind: 'affected', base: 'b', baseSha, head, reason: '' }) as const;

  it('sees nothing on a clean tree at the base', async () => {
    assert.equal(await hasTouchedFiles(root, scope(first)), false);
    assert.equal(await hasTouchedFiles(root, scope(first, 'HEAD')), false);
  });

  it('sees untracked, then uncommitted, then committed changes', async () => {
    writeFileSync(join(root, 'new.txt'), 'new\n');
    assert.equal(await hasTouchedFiles(root, scope(first)), true);
    // With a head, the working tree does not count.
    assert.equal(await hasTouchedFiles(root, scope(first, 'HEAD')), false);
    rmSync(join(root, 'new.txt'));
    writeFileSync(join(root, 'a.txt'), 'changed\n');
    assert.equal(await hasTouchedFiles(root, scope(first)), true);
    commitAll(root, 'second');
    assert.equal(await hasTouchedFiles(root, scope(first, 'HEAD')), true);
    const second = git(root, ['rev-parse', 'HEAD']).trim();
    assert.equal(await hasTouchedFiles(root, scope(second, 'HEAD')), false);
  });
});
