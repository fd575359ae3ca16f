/**
 * `npm run pull` refusing bad input before anything is published or any node is asked: the script itself, run
 * as a person runs it (no fleet needed).
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { parsePullArgs } from './pull-args';

const workspaceRoot = resolve(__dirname, '..', '..');
let scratch: string;

const pull = (args: string[]) =>
  runCommand('node', ['--import', 'tsx', 'tools/scripts/pull.ts', ...args], {
    cwd: workspaceRoot,
    check: false,
    timeoutMs: 120_000,
  });

describe('npm run pull', () => {
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'edgeship-pull-cmd-'));
  });
  after(async () => rm(scratch, { recursive: true, force: true }));

  it('parses each command with its defaults; a command without its --channel is refused by name', () => {
    assert.deepEqual(parsePullArgs(['serve', '--channel', 'ch']), {
      command: 'serve',
      channel: 'ch',
      listen: '127.0.0.1:8480',
    });
    const enroll = parsePullArgs(['enroll', '--channel', 'http://10.0.0.1:8480']);
    assert.equal(enroll.command === 'enroll' && enroll.interval, '5min');
    assert.throws(() => parsePullArgs(['publish']), /Required option '--channel <DIR>'/);
    assert.throws(() => parsePullArgs(['pull-everything']), /Unknown command 'pull-everything'/);
  });

  it('--help of a command is that command’s', () => {
    const help = parsePullArgs(['enroll', '--help']);
    assert.equal(help.command, 'help');
    assert.match(help.command === 'help' ? help.text : '', /--interval <SPAN>/);
  });

  it('enroll with a channel that is not an http(s) URL: exit 1 before Ansible runs', async () => {
    const run = await pull(['enroll', '--channel', 'file:///etc', '--inventory', join(scratch, 'none.yml')]);
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /--channel.*file:\/\/\/etc.*http\(s\) URL/s);
  });

  it('serve with a --listen that is not HOST:PORT: exit 1, naming it', async () => {
    const run = await pull(['serve', '--channel', join(scratch, 'channel'), '--listen', '8480']);
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /--listen.*8480.*HOST:PORT/s);
  });

  it('publish of a service the workspace does not have: exit 1, naming it', async () => {
    const run = await pull(['publish', '--channel', join(scratch, 'channel'), '--projects', 'no-such-svc']);
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /no-such-svc/);
  });
});
