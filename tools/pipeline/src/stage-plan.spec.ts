import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isNothingAffected, planStages } from './stage-plan';
import type { PipelineScope } from './scope';
import { parsePipelineDefinition } from './stages';

const { stages } = parsePipelineDefinition({
  mainBranch: 'main',
  inventoryVariable: 'EDGESHIP_INVENTORY',
  stages: [
    { target: 'format', when: 'every-pipeline' },
    { target: 'test', when: 'every-pipeline' },
    { target: 'bundle', when: 'every-pipeline' },
    { target: 'deploy', when: 'main', inventory: true, parallel: 1 },
  ],
});
const affectedScope: PipelineScope = { kind: 'affected', base: 'main', baseSha: 'a'.repeat(40), reason: '' };
const allScope: PipelineScope = { kind: 'all', reason: '--all', isFallback: false };
const nothing = { format: [], test: [], bundle: [], deploy: [] };

describe('planStages', () => {
  it('makes no nx call for any stage when the change reaches nothing', () => {
    const plan = planStages(stages, affectedScope, nothing, { inventory: '/i.yml' });
    assert.deepEqual(
      plan.map((p) => [p.stage.target, p.args, p.command]),
      [
        ['format', undefined, 'nothing affected'],
        ['test', undefined, 'nothing affected'],
        ['bundle', undefined, 'nothing affected'],
        ['deploy', undefined, 'nothing affected'],
      ],
    );
    assert.equal(isNothingAffected(plan), true);
  });

  it('runs each stage on the projects the change reaches for its target, and skips the others', () => {
    const plan = planStages(
      stages,
      affectedScope,
      { format: ['a', 'lib'], test: ['a', 'lib'], bundle: [], deploy: ['a'] },
      { inventory: '/i.yml' },
    );
    assert.deepEqual(
      plan.map((p) => p.command),
      [
        'nx run-many -t format --projects=a,lib',
        'nx run-many -t test --projects=a,lib',
        'nothing affected',
        'nx run-many -t deploy --projects=a --parallel=1 --inventory=/i.yml',
      ],
    );
    assert.equal(isNothingAffected(plan), false);
  });

  it('treats a target missing from the decision as nothing affected', () => {
    assert.equal(isNothingAffected(planStages(stages, affectedScope, {})), true);
  });

  it('runs every stage on every project in a full run, without an affected decision', () => {
    const plan = planStages(stages, allScope, undefined);
    assert.deepEqual(
      plan.map((p) => p.command),
      [
        'nx run-many --all -t format',
        'nx run-many --all -t test',
        'nx run-many --all -t bundle',
        'nx run-many --all -t deploy --parallel=1',
      ],
    );
  });
});
