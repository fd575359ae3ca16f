import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { quoteForShell, sshArgs } from './ssh-args';

describe('sshArgs', () => {
  it("connects the way the inventory says: host, port, key, user, Ansible's common args", () => {
    const args = sshArgs(
      'node-1',
      {
        ...{ ansible_host: '127.0.0.1', ansible_port: 2201, ansible_user: 'root' },
        ansible_ssh_private_key_file: '/keys/id',
        ansible_ssh_common_args: '-o StrictHostKeyChecking=no  -o UserKnownHostsFile=/dev/null',
      },
      ['journalctl', '--since=1 hour ago'],
    );
    assert.deepEqual(args.slice(0, 4), [
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
    ]);
    assert.deepEqual(args.slice(-9, -1), ['-p', '2201', '-i', '/keys/id', '-l', 'root', '127.0.0.1', '--']);
    assert.equal(args.at(-1), `'journalctl' '--since=1 hour ago'`);
  });

  it('runs through sudo -n when the inventory becomes root as another user; the host name when no address', () => {
    const args = sshArgs('gw-1', { ansible_user: 'deploy', ansible_become: true }, ['journalctl']);
    assert.equal(args.at(-3), 'gw-1');
    assert.equal(args.at(-1), `'sudo' '-n' 'journalctl'`);
  });

  it('quoteForShell: what a shell reads back is the value, whatever quotes it holds', () => {
    for (const value of [`it's`, 'a b', '$(id)', '`id`', `'`, '']) {
      const echoed = execFileSync('sh', ['-c', `printf %s ${quoteForShell(value)}`], { encoding: 'utf8' });
      assert.equal(echoed, value);
    }
  });
});
