import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dockerRunArgs } from './node-container';
import { allocateNodePorts } from './ports';

describe('dockerRunArgs', () => {
  const args = dockerRunArgs({
    fleet: 'lab',
    workspaceRoot: '/ws',
    node: 2,
    arch: 'arm64',
    image: 'edgeship-node:arm64-abc',
    portBase: 20000,
    ports: allocateNodePorts(20000, 2),
  });
  const joined = args.join(' ');

  it('boots systemd with the explicit capabilities, never --privileged, never pulling', () => {
    assert.ok(!args.includes('--privileged'));
    for (const flag of [
      '--pull=never',
      '--cap-add SYS_ADMIN',
      '--cap-add NET_ADMIN',
      '--security-opt seccomp=unconfined',
      '--security-opt apparmor=unconfined',
      '--cgroupns=host',
      '-v /sys/fs/cgroup:/sys/fs/cgroup:rw',
      '--tmpfs /run',
      '--tmpfs /run/lock',
      '-e container=docker',
      '--platform linux/arm64',
    ]) {
      assert.ok(joined.includes(flag), flag);
    }
    assert.deepEqual(args.slice(-2), ['edgeship-node:arm64-abc', '/lib/systemd/systemd']);
  });

  it('names and labels the node for its fleet', () => {
    assert.ok(joined.includes('--name edgeship-lab-2 --hostname edgeship-lab-2 --network edgeship-lab-net'));
    assert.ok(
      joined.includes(
        '--label edgeship.fleet=lab --label edgeship.node=2 --label edgeship.arch=arm64 --label edgeship.port-base=20000 --label edgeship.workspace=/ws',
      ),
    );
  });

  it('publishes ssh and 8100..8119 on 127.0.0.1 only', () => {
    const published = args.filter((_, i) => args[i - 1] === '-p');
    assert.equal(published.length, 21);
    assert.equal(published[0], '127.0.0.1:20032:22');
    assert.equal(published[1], '127.0.0.1:20033:8100');
    assert.equal(published[20], '127.0.0.1:20052:8119');
    assert.ok(published.every((p) => p.startsWith('127.0.0.1:')));
  });
});
