/**
 * Integration: one amd64 node, the arch that carries podman for container delivery (podman cannot
 * create containers under QEMU, so arm64 nodes do binary delivery only).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { fleetDown, fleetUp, type FleetUpResult } from '../src/index';
import { sshArgs } from '../src/ssh';
import { testFleetName } from '@edgeship/edge-common/testing';

const FLEET = testFleetName('fleettest-amd');

describe('edge fleet of 1 amd64 node', { timeout: 30 * 60_000 }, () => {
  let up: FleetUpResult;
  const onNode = async (command: string) =>
    (
      await runCommand(
        'ssh',
        [
          '-o',
          'BatchMode=yes',
          ...sshArgs(up.inventory.privateKeyFile, up.inventory.hosts[0]!.ansiblePort, [command]),
        ],
        { timeoutMs: 120_000 },
      )
    ).stdout.trim();

  before(async () => {
    await fleetDown(FLEET);
    up = await fleetUp({ name: FLEET, nodes: 1, arch: 'amd64' });
  });
  after(async () => {
    await fleetDown(FLEET);
  });

  it('is an x86_64 node with systemd running, in groups edge and amd64', async () => {
    assert.equal(await onNode('uname -m'), 'x86_64');
    assert.equal(await onNode('systemctl is-system-running'), 'running');
    assert.ok(up.inventoryText.includes(`    amd64:\n      hosts:\n        edgeship-${FLEET}-1: {}\n`));
    assert.match(up.inventoryText, /arm64:\n {6}hosts: \{\}/);
  });

  it('runs a podman container (vfs storage, host network)', async () => {
    // A two-file image made on the node itself: no registry is reachable.
    const files =
      'lib lib64 usr/lib64 usr/bin/echo usr/lib/x86_64-linux-gnu/libc.so.6 usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2';
    const script = [
      `tar -C / -cf /tmp/probe.tar ${files}`,
      'podman import -q /tmp/probe.tar localhost/edgeship-probe:1 >/dev/null',
      'podman run --rm --network host localhost/edgeship-probe:1 /usr/bin/echo podman-ok',
      'podman rmi -f localhost/edgeship-probe:1 >/dev/null',
      'rm /tmp/probe.tar',
    ].join(' && ');
    assert.equal(await onNode(script), 'podman-ok');
  });

  it('answers ansible ping', async () => {
    const { stdout } = await runCommand('ansible', [
      '-i',
      up.inventoryPath,
      'all',
      '-m',
      'ansible.builtin.ping',
      '-o',
    ]);
    assert.ok(stdout.includes(`edgeship-${FLEET}-1 | SUCCESS`), stdout);
  });
});
