import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildStageArgs, describeCommand } from './nx-args';
import type { PipelineStage } from './stages';

const test: PipelineStage = {
  target: 'test',
  when: 'every-pipeline',
  needsInventory: false,
  secrets: [],
  description: '',
};
const deploy: PipelineStage = {
  target: 'deploy',
  when: 'main',
  needsInventory: true,
  parallel: 1,
  secrets: [],
  description: '',
};
const affected = { kind: 'projects', projects: ['a', 'b'] } as const;

describe('buildStageArgs', () => {
  it('runs the stage on the projects the affected decision gave it', () => {
    assert.deepEqual(buildStageArgs(test, affected), [
      'run-many',
      '-t',
      'test',
      '--projects=a,b',
      '--outputStyle=stream',
    ]);
  });

  it('runs run-many --all for a full run', () => {
    assert.deepEqual(buildStageArgs(test, { kind: 'all' }), [
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
    assert.equal(describeCommand(buildStageArgs(test, { kind: 'all' })), 'nx run-many --all -t test');
    assert.equal(describeCommand(buildStageArgs(test, affected)), 'nx run-many -t test --projects=a,b');
  });
});
