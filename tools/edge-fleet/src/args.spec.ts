import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { HELP_TEXT, parseFleetArgs } from './args';

describe('parseFleetArgs', () => {
  it('defaults up to 2 arm64 nodes in fleet "default"', () => {
    assert.deepEqual(parseFleetArgs(['up']), { command: 'up', name: 'default', nodes: 2, arch: 'arm64' });
  });

  it('reads every up option, in both --x v and --x=v forms', () => {
    assert.deepEqual(
      parseFleetArgs(['up', '--nodes', '4', '--arch=amd64', '--name', 'lab', '--port-base=30000']),
      {
        command: 'up',
        name: 'lab',
        nodes: 4,
        arch: 'amd64',
        portBase: 30000,
      },
    );
  });

  it('takes up to 16 amd64 nodes (cheap) but only 8 emulated arm64 ones', () => {
    assert.deepEqual(parseFleetArgs(['up', '--nodes', '16', '--arch', 'amd64']), {
      command: 'up',
      name: 'default',
      nodes: 16,
      arch: 'amd64',
    });
    assert.throws(() => parseFleetArgs(['up', '--nodes', '16']), /from 1 to 8 for arm64 nodes/);
  });

  it('reads down, status --json and ssh with a remote command', () => {
    assert.deepEqual(parseFleetArgs(['down', '--name', 'lab']), { command: 'down', name: 'lab' });
    assert.deepEqual(parseFleetArgs(['status', '--json']), {
      command: 'status',
      name: 'default',
      json: true,
    });
    assert.deepEqual(parseFleetArgs(['ssh', '2', '--name', 'lab', '--', 'uname', '-m']), {
      command: 'ssh',
      name: 'lab',
      node: '2',
      remote: ['uname', '-m'],
    });
  });

  it('shows help for no command, help and -h', () => {
    for (const argv of [[], ['help'], ['-h'], ['up', '--help']])
      assert.deepEqual(parseFleetArgs(argv), { command: 'help' });
    assert.match(HELP_TEXT, /up +\[--nodes N\] \[--arch arm64\|amd64\] \[--name F\]/);
  });

  const bad: [string[], RegExp][] = [
    [['up', '--nodes', '0'], /--nodes is 0\. Use a whole number from 1 to 8/],
    [['up', '--nodes', '9'], /--nodes is 9/],
    [['up', '--nodes', '17', '--arch', 'amd64'], /--nodes is 17\. Use a whole number from 1 to 16 for amd64/],
    [['up', '--nodes', '2.5'], /--nodes is "2.5"/],
    [['up', '--nodes', ''], /--nodes is ""/],
    [['up', '--arch', 'riscv64'], /--arch is "riscv64"\. Use one of: arm64, amd64/],
    [['up', '--name', 'Lab'], /--name is "Lab"/],
    [['up', '--name', 'web-1'], /clash with node names/],
    [['up', '--port-base', '80'], /--port-base is 80/],
    [['up', '--port-base', '65500'], /--port-base is 65500/],
    [['up', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['down', '--nodes', '2'], /down does not take --nodes/],
    [['status', 'extra'], /status takes no positional arguments/],
    [['ssh'], /Name exactly one node/],
    [['launch'], /command is "launch"/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseFleetArgs(argv),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    });
  }
});
