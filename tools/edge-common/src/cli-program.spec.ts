import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ConfigError } from './errors';
import { createProgram, formatHelp, parseProgram } from './cli-program';

const createDemo = () =>
  createProgram('npm run demo', '[-- options]', 'What demo does.')
    .option('--fleet <NAME>', 'local fleet name', 'default')
    .option('--json', 'print JSON');

describe('cli-program', () => {
  it('reads options with their defaults, and help without printing or exiting', () => {
    assert.deepEqual(parseProgram(createDemo(), ['--json'], 'npm run demo', 'See --help.'), {
      help: false,
      values: { fleet: 'default', json: true },
    });
    assert.equal(parseProgram(createDemo(), ['-h'], 'npm run demo', 'See --help.').help, true);
  });

  it("turns commander's usage errors into a ConfigError with its words and the hint", () => {
    assert.throws(
      () => parseProgram(createDemo(), ['--flet', 'lab'], 'npm run demo', 'See npm run demo -- --help.'),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          'npm run demo: arguments is "--flet lab". Unknown option \'--flet\' (Did you mean --fleet?). ' +
            'See npm run demo -- --help.',
    );
  });

  it('lays out help as usage, description, then every option with its default', () => {
    assert.equal(
      formatHelp(createDemo()),
      [
        'Usage: npm run demo [-- options]',
        '',
        'What demo does.',
        '',
        'Options:',
        '  --fleet <NAME>  local fleet name (default: "default")',
        '  --json          print JSON',
        '  -h, --help      this text',
      ].join('\n'),
    );
  });
});
