/**
 * `npm run status` refusing bad input before any node is asked: the script itself, run as a person runs it
 * (no fleet needed; every case stops before Ansible connects anywhere).
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { parseStatusArgs } from './status-args';

const workspaceRoot = resolve(__dirname, '..', '..');
let scratch: string;

const status = (args: string[]) =>
  runCommand('node', ['--import', 'tsx', 'tools/scripts/status.ts', ...args], {
    cwd: workspaceRoot,
    check: false,
    timeoutMs: 120_000,
  });

describe('npm run status: bad input', () => {
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'edgeship-status-cmd-'));
  });
  after(async () => rm(scratch, { recursive: true, force: true }));

  it('an unknown service: exit 1, naming it and the services there are', async () => {
    const run = await status(['--projects', 'hello-edge,no-such-svc']);
    assert.equal(run.exitCode, 1);
    assert.match(
      run.stderr,
      /npm run status: --projects is "no-such-svc"\. Name services of this workspace: hello-edge, telemetry-gateway/,
    );
  });

  it('an inventory that does not parse: exit 1, naming the file and the line', async () => {
    const file = join(scratch, 'broken.yml');
    await writeFile(file, 'all:\n  children:\n    edge:\n   hosts: [\n');
    const run = await status(['--inventory', file]);
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, new RegExp(`${file}: line 3 .*The inventory is not valid YAML`));
  });

  it('an inventory that is missing: exit 1 with the fix', async () => {
    const run = await status(['--inventory', join(scratch, 'none.yml')]);
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, /none\.yml: inventory is missing\. Give an existing inventory file/);
  });

  it('parseStatusArgs: --history must be a whole number', () => {
    assert.equal(parseStatusArgs(['--history', '3']).history, 3);
    assert.throws(() => parseStatusArgs(['--history', 'x']), /--history is "x"/);
    assert.throws(() => parseStatusArgs(['--nope']), /npm run status: arguments .*--help/);
  });

  it('parseStatusArgs: --html names the page to write; none by default', () => {
    assert.equal(parseStatusArgs(['--html', 'dist/status.html']).html, 'dist/status.html');
    assert.equal(parseStatusArgs([]).html, undefined);
  });
});
