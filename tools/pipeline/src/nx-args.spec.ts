import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildStageArgs, describeCommand } from './nx-args';
import type { PipelineStage } from './stages';

const test: PipelineStage = {
  target: 'test',
  when: 'every-pipeline',
  needsInventory: false,
  description: '',
};
const deploy: PipelineStage = {
  target: 'deploy',
  when: 'main',
  needsInventory: true,
  parallel: 1,
  description: '',
};
const affected = { kind: 'affected', base: 'main', baseSha: 'a'.repeat(40), reason: '' } as const;

describe('buildStageArgs', () => {
  it('runs nx affected on the resolved base sha, with the head only when one was given', () => {
    assert.deepEqual(buildStageArgs(test, affected), [
      'affected',
      '-t',
      'test',
      `--base=${'a'.repeat(40)}`,
      '--outputStyle=stream',
    ]);
    assert.deepEqual(buildStageArgs(test, { ...affected, head: 'HEAD' }).slice(3, 5), [
      `--base=${'a'.repeat(40)}`,
      '--head=HEAD',
    ]);
  });

  it('runs run-many --all for a full run', () => {
    assert.deepEqual(buildStageArgs(test, { kind: 'all', reason: '', isFallback: true }), [
      'run-many',
      '--all',
      '-t',
      'test',
      '--outputStyle=stream',
    ]);
  });

  it("passes the stage's parallelism", () => {
    assert.deepEqual(buildStageArgs(deploy, affected, { inventory: '/i.yml' }).slice(-3), [
      '--outputStyle=stream',
      '--parallel=1',
      '--inventory=/i.yml',
    ]);
    assert.ok(!buildStageArgs(test, affected).some((a) => a.startsWith('--parallel')));
  });

  it('gives the inventory to the deploy stage only', () => {
    assert.ok(buildStageArgs(deploy, affected, { inventory: '/i.yml' }).includes('--inventory=/i.yml'));
    assert.ok(
      !buildStageArgs(test, affected, { inventory: '/i.yml' }).some((a) => a.startsWith('--inventory')),
    );
    assert.ok(!buildStageArgs(deploy, affected).some((a) => a.startsWith('--inventory')));
  });

  it('describes the command as a user would type it', () => {
    assert.equal(
      describeCommand(buildStageArgs(test, { kind: 'all', reason: '', isFallback: false })),
      'nx run-many --all -t test',
    );
  });
});
