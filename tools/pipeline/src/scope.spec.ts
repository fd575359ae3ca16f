import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveCommit, resolveScope } from './scope';

// A real git repository: the base checks are git's own answers.
describe('resolveScope', () => {
  let root: string;
  let first: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pipeline-scope-'));
    git('init', '-q', '-b', 'main');
    writeFileSync(join(root, 'nx.json'), '{"defaultBase": "main"}\n');
    for (const n of [1, 2]) {
      writeFileSync(join(root, 'f.txt'), String(n));
      git('add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-q', '-m', `c${n}`);
    }
    first = git('rev-parse', 'HEAD~1');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('uses --base, resolved to its commit', async () => {
    const scope = await resolveScope(root, { base: 'HEAD~1', head: 'HEAD' }, {});
    assert.equal(scope.kind, 'affected');
    assert.equal(scope.kind === 'affected' && scope.baseSha, first);
    assert.match(scope.reason, /affected since HEAD~1 \(\w{9}, --base\) up to HEAD/);
  });

  it('takes NX_BASE before nx.json defaultBase', async () => {
    const fromEnv = await resolveScope(root, {}, { NX_BASE: first });
    assert.match(fromEnv.reason, /NX_BASE\), working tree included/);
    const fromNxJson = await resolveScope(root, {}, {});
    assert.match(fromNxJson.reason, /affected since main \(\w{9}, nx\.json defaultBase\)/);
  });

  it('falls back to a full run, and says so, when the base commit does not exist', async () => {
    const scope = await resolveScope(root, { base: 'deadbeef' }, {});
    assert.deepEqual(scope, {
      kind: 'all',
      reason:
        'base commit "deadbeef" (--base) does not exist in this repository: falling back to a full run (nx run-many --all)',
      isFallback: true,
    });
    // git's empty tree (the GitLab script's full-run base) is not a commit either.
    assert.equal(
      (await resolveScope(root, {}, { NX_BASE: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' })).kind,
      'all',
    );
  });

  it('refuses a head that does not exist rather than guessing', async () => {
    await assert.rejects(
      resolveScope(root, { base: 'main', head: 'nope' }, {}),
      /--head: head commit is "nope"/,
    );
  });

  it('--all runs everything without looking at git', async () => {
    assert.deepEqual(await resolveScope(root, { all: true }, { NX_BASE: 'x' }), {
      kind: 'all',
      reason: '--all: every project',
      isFallback: false,
    });
  });

  it('never passes an option-shaped revision to git', async () => {
    assert.equal(await resolveCommit(root, '--output=/tmp/x'), undefined);
  });
});
