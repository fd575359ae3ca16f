import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { createFixtureWorkspace } from '@edgeship/edge-common/testing';
import { parseSourceDateEpoch, resolveSourceInfo, stripCredentials } from './source-info';

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  }).trim();
}

describe('resolveSourceInfo (real git)', () => {
  it('takes revision and time from the last commit touching the inputs, not from HEAD', async () => {
    const root = createFixtureWorkspace({ 'package.json': { name: 'ws' }, 'packages/a/index.js': '1' });
    git(root, ['init', '-q']);
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', 'a'], { GIT_COMMITTER_DATE: '@1700000000 +0000' });
    const first = git(root, ['rev-parse', 'HEAD']);
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/x.md'), 'x');
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', 'b'], { GIT_COMMITTER_DATE: '@1800000000 +0000' });
    const info = await resolveSourceInfo(root, ['packages/a', 'package.json'], {});
    assert.equal(info.revision, first);
    assert.equal(info.sourceDateEpoch, 1700000000);
    writeFileSync(join(root, 'packages/a/index.js'), '2');
    assert.equal((await resolveSourceInfo(root, ['packages/a'], {})).revision, `${first}-dirty`);
  });

  it('lets SOURCE_DATE_EPOCH from the environment win, and works outside git', async () => {
    const root = createFixtureWorkspace({
      'package.json': { name: 'ws', repository: { url: 'https://user:tok@example.invalid/r.git' } },
    });
    const info = await resolveSourceInfo(root, ['.'], { SOURCE_DATE_EPOCH: '123' });
    assert.equal(info.sourceDateEpoch, 123);
    assert.equal(info.revision, undefined);
    assert.equal(info.source, 'https://example.invalid/r.git');
  });
});

describe('parseSourceDateEpoch', () => {
  it('accepts whole seconds and refuses anything else', () => {
    assert.equal(parseSourceDateEpoch(' 42 '), 42);
    assert.equal(parseSourceDateEpoch(undefined), undefined);
    assert.throws(() => parseSourceDateEpoch('2024-01-01'), ConfigError);
  });
});

describe('stripCredentials', () => {
  it('never lets a token from a remote URL into a label', () => {
    assert.equal(
      stripCredentials('https://x-access-token:abc@github.com/o/r.git'),
      'https://github.com/o/r.git',
    );
    assert.equal(stripCredentials('git@github.com:o/r.git'), 'git@github.com:o/r.git');
  });
});
