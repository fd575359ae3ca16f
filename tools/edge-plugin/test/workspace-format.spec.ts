import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parseUnformattedFiles } from '../src/executors/format/lib/prettier-args';
import { WORKSPACE_ROOT } from '@edgeship/edge-common/testing';

// The workspace-level gate: every file Prettier knows, inside projects or not (playbooks,
// pipelines, Markdown), is formatted. CI fails here naming each unformatted file.
describe('workspace formatting', () => {
  it('prettier --check . finds no unformatted file', () => {
    const prettier = require.resolve('prettier/bin/prettier.cjs', { paths: [WORKSPACE_ROOT] });
    const result = spawnSync(
      process.execPath,
      [prettier, '--check', '--no-color', '--log-level', 'warn', '.'],
      {
        cwd: WORKSPACE_ROOT,
        encoding: 'utf8',
      },
    );
    const unformatted = parseUnformattedFiles(result.stderr + result.stdout);
    assert.deepEqual(
      unformatted,
      [],
      `Unformatted files (fix: npm run format:write):\n${unformatted.join('\n')}`,
    );
    assert.equal(result.status, 0, result.stderr);
  });
});
