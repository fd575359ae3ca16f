import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseInventory, renderInventory, type InventoryHost } from './inventory';
import { allocateNodePorts } from './ports';

function hostOf(fleet: string, node: number, arch: 'arm64' | 'amd64'): InventoryHost {
  const ports = allocateNodePorts(20000, node);
  const name = `edgeship-${fleet}-${node}`;
  return {
    name,
    ansibleHost: '127.0.0.1',
    ansiblePort: ports.ssh,
    arch,
    container: name,
    publishedPorts: ports.services,
  };
}

describe('renderInventory', () => {
  const key = '/ws/.edgeship/fleet/lab/id_ed25519';
  const text = renderInventory(key, [hostOf('lab', 1, 'arm64'), hostOf('lab', 2, 'amd64')]);
  const doc = parse(text);

  it('puts connection settings in all.vars', () => {
    assert.deepEqual(doc.all.vars, {
      ansible_user: 'root',
      ansible_ssh_private_key_file: key,
      ansible_python_interpreter: '/usr/bin/python3',
      ansible_ssh_common_args: '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null',
    });
  });

  it('lists every node with its vars in group edge, and by arch in arm64/amd64', () => {
    assert.deepEqual(Object.keys(doc.all.children), ['edge', 'arm64', 'amd64']);
    const node1 = doc.all.children.edge.hosts['edgeship-lab-1'];
    assert.equal(node1.ansible_host, '127.0.0.1');
    assert.equal(node1.ansible_port, 20000);
    assert.equal(node1.edge_arch, 'arm64');
    assert.equal(node1.edge_container, 'edgeship-lab-1');
    assert.deepEqual(Object.keys(doc.all.children.arm64.hosts), ['edgeship-lab-1']);
    assert.deepEqual(Object.keys(doc.all.children.amd64.hosts), ['edgeship-lab-2']);
  });

  it('writes published ports as integer keys 8100..8119', () => {
    assert.match(text, /^ {12}8100: 20001$/m);
    assert.match(text, /^ {12}8119: 20020$/m);
    assert.doesNotMatch(text, /"8100"/);
  });

  it('round-trips through parseInventory', () => {
    const inventory = parseInventory('/x/inventory.yml', text);
    assert.equal(inventory.privateKeyFile, key);
    assert.equal(inventory.hosts.length, 2);
    assert.equal(inventory.hosts[1]!.ansiblePort, 20032);
    assert.equal(inventory.hosts[1]!.publishedPorts.get(8101), 20034);
  });

  it('fails loudly on an inventory that breaks the contract', () => {
    assert.throws(
      () => parseInventory('/x/inventory.yml', 'all: {}\n'),
      /\/x\/inventory.yml: all.vars.ansible_ssh_private_key_file is missing/,
    );
  });
});
