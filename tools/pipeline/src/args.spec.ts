import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { HELP_TEXT, parsePipelineArgs } from './args';

describe('parsePipelineArgs', () => {
  it('reads every option', () => {
    assert.deepEqual(
      parsePipelineArgs([
        '--base',
        'main',
        '--head=HEAD',
        '--stages',
        'test, format',
        '--inventory',
        'i.yml',
        '--json',
      ]),
      {
        help: false,
        all: false,
        base: 'main',
        head: 'HEAD',
        stages: ['test', 'format'],
        inventory: 'i.yml',
        json: true,
      },
    );
    assert.equal(parsePipelineArgs(['--all']).all, true);
    assert.equal(parsePipelineArgs(['-h']).help, true);
  });

  it('refuses unknown flags, positionals, empty values and --all with --base', () => {
    assert.throws(() => parsePipelineArgs(['--bsae', 'x']), /Unknown option '--bsae'.*See --help/);
    assert.throws(() => parsePipelineArgs(['deploy']), /pipeline: arguments is "deploy"/);
    assert.throws(() => parsePipelineArgs(['--base=']), /--base is ""/);
    assert.throws(() => parsePipelineArgs(['--stages', ',']), /--stages is ","/);
    assert.throws(() => parsePipelineArgs(['--all', '--base', 'main']), /Use one/);
  });

  it('documents every option it accepts', () => {
    for (const flag of ['--base', '--head', '--all', '--stages', '--inventory', '--json', '--help']) {
      assert.ok(HELP_TEXT.includes(flag), flag);
    }
  });
});
