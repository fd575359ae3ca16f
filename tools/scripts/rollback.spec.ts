/**
 * `npm run rollback` refusing bad input before any node is asked: the script itself, run as a person runs it
 * (no fleet needed; every case stops before Ansible connects anywhere, so nothing can have changed).
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { parseRollbackArgs } from './rollback-args';

const workspaceRoot = resolve(__dirname, '..', '..');
let scratch: string;

const rollback = (args: string[]) =>
  runCommand('node', ['--import', 'tsx', 'tools/scripts/rollback.ts', ...args], {
    cwd: workspaceRoot,
    check: false,
    timeoutMs: 120_000,
  });

describe('npm run rollback: bad input', () => {
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'edgeship-rollback-cmd-'));
  });
  after(async () => rm(scratch, { recursive: true, force: true }));

  it('an unknown service: exit 1, naming it and the services there are', async () => {
    const run = await rollback(['--projects', 'no-such-svc']);
    assert.equal(run.exitCode, 1);
    assert.match(
      run.stderr,
      /npm run rollback: --projects is "no-such-svc"\. Name services of this workspace: hello-edge, telemetry-gateway/,
    );
  });

  it('an inventory that does not parse: exit 1, naming the file and the line', async () => {
    const file = join(scratch, 'broken.yml');
    await writeFile(file, 'all:\n  children:\n    edge:\n   hosts: [\n');
    const run = await rollback(['--inventory', file]);
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, new RegExp(`${file}: line 3 .*The inventory is not valid YAML`));
  });

  it('a --to no release could be named: exit 1 before any node is read', async () => {
    const run = await rollback(['--to', '1.0.0/../x', '--inventory', join(scratch, 'none.yml')]);
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, /rollback of hello-edge: --to is "1\.0\.0\/\.\.\/x"\. Name a kept release/);
  });

  it('parseRollbackArgs: --to, --serial, --health-timeout; unknown options refused', () => {
    const options = parseRollbackArgs(['--to', '1.0.0', '--serial', '1,50%', '--health-timeout', '20']);
    assert.deepEqual([options.to, options.serial, options.healthTimeout], ['1.0.0', '1,50%', 20]);
    assert.throws(() => parseRollbackArgs(['--health-timeout', '0']), /--health-timeout is "0"/);
    assert.throws(() => parseRollbackArgs(['--nope']), /npm run rollback: arguments .*--help/);
  });
});
