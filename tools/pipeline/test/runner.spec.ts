import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commitAll } from '@edgeship/edge-common/testing';
import { createPipelineFixture } from './fixture-workspace';

const CLI = join(__dirname, '..', 'src', 'cli.ts');

interface StageReport {
  stage: string;
  status: string;
  tasks: string[];
  cachedTasks: string[];
  executedTasks: string[];
}

// The real CLI and real nx on a two-project fixture workspace whose targets are plain commands.
describe('pipeline runner', () => {
  let root: string;
  before(() => {
    root = createPipelineFixture();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
    const { CI: _ci, EDGESHIP_INVENTORY: _inv, NX_BASE: _b, NX_HEAD: _h, ...clean } = process.env;
    const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...clean, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  function runJson(args: string[]) {
    const run = runCli([...args, '--json']);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as {
      ok: boolean;
      executed: number;
      scope: { kind: string };
      stages: StageReport[];
    };
  }

  const executed = (report: { stages: StageReport[] }) =>
    Object.fromEntries(report.stages.map((s) => [s.stage, s.executedTasks.sort().join(' ')]));

  it('runs every stage on every project, then only the uncached ones again', () => {
    const cold = runJson(['--all']);
    assert.equal(cold.ok, true);
    assert.deepEqual(
      cold.stages.map((s) => s.stage),
      ['format', 'lock', 'test', 'bundle', 'image', 'release', 'deploy'],
    );
    for (const stage of cold.stages) assert.equal(stage.executedTasks.length, 2, stage.stage);
    // deploy pulled bundle and lock in as dependencies: they came from the cache.
    assert.deepEqual(cold.stages.at(-1)!.cachedTasks.sort(), ['a:bundle', 'a:lock', 'b:bundle', 'b:lock']);

    const warm = runJson(['--all']);
    assert.deepEqual(executed(warm), {
      format: '',
      lock: '',
      test: '',
      bundle: '',
      image: '',
      release: 'a:release b:release',
      deploy: 'a:deploy b:deploy',
    });
  });

  it('runs only the project a commit touched, and nothing when nothing changed', () => {
    writeFileSync(join(root, 'packages/a/src/index.js'), "module.exports = 'a, changed';\n");
    commitAll(root, 'change a');
    const changed = runJson(['--base', 'HEAD~1', '--head', 'HEAD']);
    assert.equal(changed.scope.kind, 'affected');
    for (const stage of changed.stages) {
      assert.deepEqual(
        stage.tasks.filter((t) => t.startsWith('b:')),
        [],
        stage.stage,
      );
      assert.ok(stage.executedTasks.includes(`a:${stage.stage}`), stage.stage);
    }
  });

  it('runs no stage and no nx call when no file changed', () => {
    const run = runCli(['--base', 'HEAD', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { executed: number; stages: StageReport[] };
    assert.ok(report.stages.every((s) => s.status === 'skipped' && s.tasks.length === 0));
    assert.match(run.stderr, /nothing affected \(no file changed\): no stage runs/);
  });

  it('decides once that nothing is affected and runs no stage at all', () => {
    // A change outside every project: files changed, yet no task of any stage is reached.
    writeFileSync(join(root, 'NOTES.md'), 'not part of any project\n');
    commitAll(root, 'notes');
    const run = runCli(['--base', 'HEAD~1', '--head', 'HEAD', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { executed: number; stages: StageReport[] };
    assert.equal(report.executed, 0);
    assert.deepEqual(
      report.stages.map((s) => [s.stage, s.status, s.tasks.length]),
      ['format', 'lock', 'test', 'bundle', 'image', 'release', 'deploy'].map((s) => [s, 'skipped', 0]),
    );
    assert.match(run.stderr, /✔ nothing affected: no stage runs/);
    assert.doesNotMatch(run.stderr, /▸ \[/);
  });

  it('falls back to a full run, and says so, when the base commit does not exist', () => {
    const run = runCli(['--base', '0123456789abcdef', '--stages', 'format', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /base commit "0123456789abcdef" \(--base\) does not exist in this repository: falling back to a full run/,
    );
    const report = JSON.parse(run.stdout) as { scope: { kind: string }; stages: StageReport[] };
    assert.equal(report.scope.kind, 'all');
    assert.deepEqual(report.stages[0]!.tasks.sort(), ['a:format', 'b:format']);
  });

  it('stops at the first failing stage, names it, exits 1 and shows what did not run', () => {
    writeFileSync(join(root, 'packages/b/FAIL'), '');
    commitAll(root, 'break b');
    const run = runCli(['--base', 'HEAD~1', '--head', 'HEAD', '--stages', 'format,test,bundle']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /✖ pipeline stage "test" failed: b:test/);
    assert.match(run.stdout, /▸ \[2\/3\] test: nx run-many -t test --projects=b$/m);
    assert.match(run.stdout, /^bundle\s+0\s+0\s+0\s+-\s+not run\s*$/m);
    assert.match(run.stdout, /^test\s+1\s+0\s+1\s+[\d.]+ s\s+failed\s*$/m);
  });

  it('gives --inventory to the deploy stage', () => {
    writeFileSync(join(root, 'inventory.yml'), 'all: {}\n');
    const run = runCli(['--all', '--stages', 'deploy', '--inventory', 'inventory.yml'], { CI: 'true' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`deploy ran --inventory=${join(root, 'inventory.yml')}`));
    // The summary counts the deploy tasks, whose headers carry the forwarded option.
    assert.match(run.stdout, /^deploy\s+6\s+\d+\s+\d+\s+[\d.]+ s\s+ok\s*$/m);
  });

  it('deploys to the local fleet by default, and refuses when it is not up', () => {
    const local = join(root, '.edgeship/fleet/default/inventory.yml');
    const run = runCli(['--all', '--stages', 'deploy']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`deploy ran --inventory=${local}`));
    rmSync(join(root, '.edgeship'), { recursive: true });
    const down = runCli(['--all', '--stages', 'format,deploy']);
    assert.equal(down.code, 1);
    assert.match(
      down.stderr,
      /local fleet inventory is missing\. The deploy stage goes to the local fleet, which is not up/,
    );
    assert.doesNotMatch(down.stdout, /▸/);
  });

  it('refuses a deploy without inventory in CI before running anything', () => {
    const run = runCli(['--all'], { CI: 'true' });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /✖ environment: EDGESHIP_INVENTORY is missing\. In CI \(CI=true\) the deploy stage needs the edge inventory/,
    );
    assert.doesNotMatch(run.stdout, /▸/);
  });
});
