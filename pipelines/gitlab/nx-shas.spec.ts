import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { WORKSPACE_ROOT } from '@edgeship/edge-common/testing';
import { chooseShas, EMPTY_TREE, readLastSuccessfulSha, type ShaProbes } from './nx-shas';

// Real git for the commit and merge-base answers; only the GitLab API answer is given by the test.
describe('GitLab base and head for nx affected', () => {
  let root: string;
  let mainSha: string;
  let branchSha: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const commit = (n: string) => {
    writeFileSync(join(root, 'f.txt'), n);
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-q', '-m', n);
    return git('rev-parse', 'HEAD');
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-shas-'));
    git('init', '-q', '-b', 'main');
    commit('one');
    mainSha = commit('two');
    git('update-ref', 'refs/remotes/origin/main', mainSha);
    git('checkout', '-q', '-b', 'feature');
    branchSha = commit('three');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function probes(lastSuccessful?: string): ShaProbes {
    return {
      commitExists: async (sha) =>
        (await runCommand('git', ['cat-file', '-e', `${sha}^{commit}`], { cwd: root, check: false }))
          .exitCode === 0,
      mergeBase: async (ref, head) => {
        const result = await runCommand('git', ['merge-base', ref, head], { cwd: root, check: false });
        return result.exitCode === 0 ? result.stdout.trim() : undefined;
      },
      lastSuccessfulSha: async () => lastSuccessful,
    };
  }

  it('uses the merge request diff base in merge request pipelines', async () => {
    const env = {
      CI_MERGE_REQUEST_DIFF_BASE_SHA: mainSha,
      CI_COMMIT_SHA: branchSha,
      CI_COMMIT_BRANCH: undefined,
    };
    assert.deepEqual(await chooseShas(env, probes()), {
      base: mainSha,
      head: branchSha,
      reason: `merge request diff base ${mainSha}`,
      isFullRun: false,
    });
  });

  it('uses the last successful pipeline on the default branch', async () => {
    const env = { CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main', CI_COMMIT_SHA: mainSha };
    const previous = git('rev-parse', 'main~1');
    const shas = await chooseShas(env, probes(previous));
    assert.equal(shas.base, previous);
    assert.equal(shas.isFullRun, false);
  });

  it('falls back to a full run on main without a successful pipeline, or when its commit is gone', async () => {
    const env = { CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main', CI_COMMIT_SHA: mainSha };
    assert.deepEqual(await chooseShas(env, probes(undefined)), {
      base: EMPTY_TREE,
      head: mainSha,
      reason: 'no last successful pipeline on main: full run',
      isFullRun: true,
    });
    const gone = await chooseShas(env, probes('f'.repeat(40)));
    assert.equal(gone.base, EMPTY_TREE);
    assert.match(gone.reason, /last successful pipeline on main f{40} is not in this clone: full run/);
  });

  it('uses the merge base with the default branch on other branches', async () => {
    const env = { CI_COMMIT_BRANCH: 'feature', CI_DEFAULT_BRANCH: 'main', CI_COMMIT_SHA: branchSha };
    assert.equal((await chooseShas(env, probes())).base, mainSha);
    git('update-ref', '-d', 'refs/remotes/origin/main');
    try {
      assert.equal((await chooseShas(env, probes())).isFullRun, true);
    } finally {
      git('update-ref', 'refs/remotes/origin/main', mainSha);
    }
  });

  it('reads the sha of the newest successful pipeline from the API answer', () => {
    assert.equal(
      readLastSuccessfulSha([{ id: 9, sha: mainSha, status: 'success' }, { sha: branchSha }]),
      mainSha,
    );
    assert.equal(readLastSuccessfulSha([]), undefined);
    assert.equal(readLastSuccessfulSha({ message: '401 Unauthorized' }), undefined);
    assert.equal(readLastSuccessfulSha([{ sha: '--upload-pack=x' }]), undefined);
  });

  it('prints dotenv lines and explains itself on stderr', async () => {
    const script = join(__dirname, 'nx-shas.ts');
    // As in a CI clone after npm ci: tsx is found in the repository's node_modules.
    symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(root, 'node_modules'));
    const { CI_MERGE_REQUEST_DIFF_BASE_SHA: _mr, CI_API_V4_URL: _api, ...env } = process.env;
    const result = await runCommand(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: { ...env, CI_COMMIT_BRANCH: 'feature', CI_DEFAULT_BRANCH: 'main', CI_COMMIT_SHA: branchSha },
    });
    assert.equal(result.stdout, `NX_BASE=${mainSha}\nNX_HEAD=${branchSha}`);
    assert.match(result.stderr, /✔ nx affected base: merge base with main/);
  });
});
