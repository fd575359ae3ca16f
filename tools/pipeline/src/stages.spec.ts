import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parsePipelineDefinition, readPipelineDefinition, selectStages } from './stages';

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');
const doc = (stages: unknown) => ({ mainBranch: 'main', inventoryVariable: 'INV', stages });

describe('pipeline definition', () => {
  it('reads the workspace stages in order, main-only ones last', () => {
    const definition = readPipelineDefinition(WORKSPACE_ROOT);
    assert.deepEqual(
      definition.stages.map((s) => `${s.target}:${s.when}`),
      ['format', 'lock', 'test', 'bundle', 'image']
        .map((t) => `${t}:every-pipeline`)
        .concat('release:main', 'deploy:main'),
    );
    assert.deepEqual(
      definition.stages.filter((s) => s.needsInventory).map((s) => s.target),
      ['deploy'],
    );
    assert.equal(definition.inventoryVariable, 'EDGESHIP_INVENTORY');
    assert.equal(definition.stages.find((s) => s.target === 'deploy')!.parallel, 1);
    assert.equal(definition.stages.find((s) => s.target === 'release')!.parallel, 1);
  });

  it('keeps secrets to main-only stages and gives each trust level a runner of its own', () => {
    const definition = readPipelineDefinition(WORKSPACE_ROOT);
    assert.deepEqual(definition.runners, { untrusted: 'edgeship-untrusted', trusted: 'edgeship-trusted' });
    for (const stage of definition.stages) {
      if (stage.when !== 'main') assert.deepEqual(stage.secrets, [], stage.target);
    }
    assert.ok(definition.stages.find((s) => s.target === 'deploy')!.secrets.includes('EDGESHIP_DEPLOY_KEY'));
    assert.ok(definition.stages.find((s) => s.target === 'release')!.secrets.includes('EDGESHIP_COSIGN_KEY'));
    assert.throws(
      () => parsePipelineDefinition(doc([{ target: 'test', when: 'every-pipeline', secrets: ['KEY'] }])),
      /stages\[0\]\.secrets is \["KEY"\]\. Only main-only stages get secrets/,
    );
    assert.throws(
      () => parsePipelineDefinition(doc([{ target: 'deploy', when: 'main', secrets: 'KEY' }])),
      /stages\[0\]\.secrets is "KEY"\. List CI secret names/,
    );
    assert.throws(
      () =>
        parsePipelineDefinition({
          ...doc([{ target: 'test', when: 'every-pipeline' }]),
          runners: { untrusted: 'ci', trusted: 'ci' },
        }),
      /runners\.trusted is "ci"\. Use a label of its own/,
    );
  });

  it('names the file, field and value of a mistake', () => {
    assert.throws(
      () => parsePipelineDefinition(doc([{ target: 'test', when: 'sometimes' }])),
      /stages\[0\]\.when is "sometimes"\. Use "every-pipeline" or "main"/,
    );
    assert.throws(
      () => parsePipelineDefinition(doc([{ target: 'Bad Name', when: 'main' }])),
      /stages\[0\]\.target is "Bad Name"/,
    );
    assert.throws(() => parsePipelineDefinition(doc([])), /stages is \[\]/);
    assert.throws(
      () => parsePipelineDefinition(doc([{ target: 'deploy', when: 'main', parallel: 0 }])),
      /stages\[0\]\.parallel is 0/,
    );
    assert.throws(() => parsePipelineDefinition({ stages: [] }), /mainBranch is missing/);
    assert.throws(
      () =>
        parsePipelineDefinition(
          doc([
            { target: 'test', when: 'main' },
            { target: 'test', when: 'main' },
          ]),
        ),
      /stages\[1\]\.target is "test"\. List each target once/,
    );
    assert.throws(
      () =>
        parsePipelineDefinition(
          doc([
            { target: 'deploy', when: 'main' },
            { target: 'test', when: 'every-pipeline' },
          ]),
        ),
      /stages\[1\]\.when .*before the main-only ones/,
    );
  });

  it('selects stages in pipeline order and refuses unknown ones', () => {
    const definition = readPipelineDefinition(WORKSPACE_ROOT);
    assert.deepEqual(
      selectStages(definition, ['test', 'format']).map((s) => s.target),
      ['format', 'test'],
    );
    assert.equal(selectStages(definition, undefined).length, definition.stages.length);
    assert.throws(
      () => selectStages(definition, ['tset']),
      /--stages: stage is "tset"\. Choose from format, lock, test/,
    );
  });
});
