/**
 * Integration: a real 2-node arm64 fleet under QEMU. Needs docker, buildx, binfmt, mmdebstrap and
 * ansible (tools/bootstrap/bootstrap.sh); the first run builds the node image (minutes), later runs reuse it.
 */
import assert from 'node:assert/strict';
import { access, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, ToolError, runCommand, fleetDirOf, resolveWorkspaceRoot } from '@edgeship/edge-common';
import { fleetDown, fleetStatus, fleetUp, readFleetInventory, type FleetUpResult } from '../src/index';
import { waitForSystemRunning } from '../src/node-container';
import { ensureNodeImage } from '../src/node-image';
import { candidatePortBases, findFreePortBase } from '../src/ports';
import { sshArgs, waitForSsh } from '../src/ssh';
import { testFleetName } from '@edgeship/edge-common/testing';

const FLEET = testFleetName('fleettest');
const CLI = join(__dirname, '..', 'src', 'cli.ts');

async function docker(args: string[]): Promise<string> {
  return (await runCommand('docker', args)).stdout.trim();
}

async function onNode(keyFile: string, port: number, command: string[]): Promise<string> {
  return (
    await runCommand('ssh', ['-o', 'BatchMode=yes', ...sshArgs(keyFile, port, command)], {
      timeoutMs: 60_000,
    })
  ).stdout.trim();
}

async function ansiblePing(inventoryPath: string): Promise<string> {
  const result = await runCommand('ansible', ['-i', inventoryPath, 'all', '-m', 'ansible.builtin.ping'], {
    timeoutMs: 5 * 60_000,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1' },
  });
  return result.stdout;
}

/** Prints how many of the node's standard-library modules it checked, then those whose .pyc it would not use. */
const PYC_CHECK = `
import importlib.util, marshal, pathlib
checked, stale = 0, []
for py in pathlib.Path('/usr/lib/python3.11').glob('**/*.py'):
    if py.name == 'sitecustomize.py':
        continue
    checked += 1
    try:
        data = pathlib.Path(importlib.util.cache_from_source(str(py))).read_bytes()
    except FileNotFoundError:
        stale.append(str(py))
        continue
    source = py.stat()
    if (data[:4] != importlib.util.MAGIC_NUMBER
            or int.from_bytes(data[8:12], 'little') != int(source.st_mtime) & 0xFFFFFFFF
            or int.from_bytes(data[12:16], 'little') != source.st_size & 0xFFFFFFFF
            or marshal.loads(data[16:]).co_filename != str(py)):
        stale.append(str(py))
print(f'checked {checked}, stale: {" ".join(stale)}')
`;

describe('edge fleet of 2 arm64 nodes', { timeout: 60 * 60_000 }, () => {
  let up: FleetUpResult;

  before(async () => {
    await fleetDown(FLEET);
    up = await fleetUp({ name: FLEET, nodes: 2, arch: 'arm64' });
  });
  after(async () => {
    await fleetDown(FLEET);
  });

  it('writes the inventory contract with a 0600 key', async () => {
    const inventory = await readFleetInventory(FLEET);
    assert.deepEqual(
      inventory.hosts.map((h) => h.name),
      [`edgeship-${FLEET}-1`, `edgeship-${FLEET}-2`],
    );
    assert.equal(inventory.privateKeyFile, join(fleetDirOf(resolveWorkspaceRoot(), FLEET), 'id_ed25519'));
    assert.equal((await stat(inventory.privateKeyFile)).mode & 0o777, 0o600);
    for (const host of inventory.hosts) {
      assert.equal(host.ansibleHost, '127.0.0.1');
      assert.equal(host.arch, 'arm64');
      assert.equal(host.container, host.name);
      assert.deepEqual(
        [...host.publishedPorts.keys()],
        Array.from({ length: 20 }, (_, i) => 8100 + i),
      );
    }
    // Its own block, unless another fleet on this shared machine held it when the test began.
    assert.ok(candidatePortBases(FLEET).includes(inventory.hosts[0]!.ansiblePort));
    assert.match(
      up.inventoryText,
      new RegExp(`^ {6}hosts:\\n {8}edgeship-${FLEET}-1:\\n {10}ansible_host: 127\\.0\\.0\\.1$`, 'm'),
    );
  });

  it('runs genuine aarch64 nodes with systemd running and sshd reachable', async () => {
    for (const host of up.inventory.hosts) {
      assert.equal(await onNode(up.inventory.privateKeyFile, host.ansiblePort, ['uname', '-m']), 'aarch64');
      assert.equal(
        await onNode(up.inventory.privateKeyFile, host.ansiblePort, ['systemctl', 'is-system-running']),
        'running',
      );
      assert.equal(
        await docker(['exec', host.container, 'systemctl', 'show', '-p', 'Virtualization', '--value']),
        'docker',
      );
    }
  });

  it('answers ansible ping on every node', async () => {
    const output = await ansiblePing(up.inventoryPath);
    assert.equal(output.match(/"ping": "pong"/g)?.length, 2, output);
  });

  it("is set up as the packages' own scripts would: host keys, CA bundle, compiled Python (mmdebstrap.ts)", async () => {
    const host = up.inventory.hosts[0]!;
    // Each node's own ed25519 key, made at first boot; none of the install's placeholders is left.
    assert.equal(
      await docker([
        'exec',
        host.container,
        'sh',
        '-c',
        'ls /etc/ssh/ssh_host_* && test -s /etc/ssh/ssh_host_ed25519_key',
      ]),
      '/etc/ssh/ssh_host_ed25519_key\n/etc/ssh/ssh_host_ed25519_key.pub',
    );
    const bundle = await docker([
      'exec',
      host.container,
      'grep',
      '-c',
      'BEGIN CERTIFICATE',
      '/etc/ssl/certs/ca-certificates.crt',
    ]);
    assert.ok(Number(bundle) > 100, `${bundle} certificates in the bundle`);
    // Every standard-library module has a .pyc the node's Python accepts as is: its magic, the source's
    // mtime and size, and the path the node sees.
    const stale = await docker(['exec', host.container, 'python3', '-c', PYC_CHECK]);
    assert.match(stale, /^checked [5-9]\d\d, stale:$/);
  });

  it('changes nothing when up runs again', async () => {
    const ids = await docker(['ps', '-q', '--no-trunc', '--filter', `label=edgeship.fleet=${FLEET}`]);
    const again = await fleetUp({ name: FLEET, nodes: 2, arch: 'arm64' });
    assert.equal(again.changed, false);
    assert.equal(again.inventoryText, up.inventoryText);
    assert.equal(await docker(['ps', '-q', '--no-trunc', '--filter', `label=edgeship.fleet=${FLEET}`]), ids);
  });

  it('refuses to reshape the fleet, before touching it', async () => {
    await assert.rejects(
      fleetUp({ name: FLEET, nodes: 2, arch: 'amd64' }),
      (e: unknown) => e instanceof ConfigError && /already runs arm64 nodes/.test(e.message),
    );
    await assert.rejects(
      fleetUp({ name: FLEET, nodes: 3, arch: 'arm64' }),
      (e: unknown) => e instanceof ConfigError && /already has nodes 1,2/.test(e.message),
    );
    assert.equal((await fleetStatus(FLEET)).nodes.length, 2);
  });

  it('survives docker restart with systemd, sshd and enabled units back', async () => {
    const node = up.inventory.hosts[0]!;
    const unit =
      '[Unit]\nDescription=edgeship restart probe\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n';
    await runCommand(
      'docker',
      ['exec', '-i', node.container, 'sh', '-c', 'cat > /etc/systemd/system/edgeship-probe.service'],
      { input: unit },
    );
    await docker(['exec', node.container, 'systemctl', 'enable', '--now', 'edgeship-probe.service']);
    const bootBefore = await docker(['exec', node.container, 'cat', '/proc/sys/kernel/random/boot_id']);
    const pidBefore = await docker(['inspect', '--format', '{{.State.StartedAt}}', node.container]);

    await docker(['restart', node.container]);
    assert.notEqual(await docker(['inspect', '--format', '{{.State.StartedAt}}', node.container]), pidBefore);
    await waitForSystemRunning(node.container, 5 * 60_000);
    await waitForSsh(up.inventory.privateKeyFile, node.ansiblePort, 2 * 60_000);
    assert.equal(
      await onNode(up.inventory.privateKeyFile, node.ansiblePort, ['systemctl', 'is-system-running']),
      'running',
    );
    assert.equal(
      await onNode(up.inventory.privateKeyFile, node.ansiblePort, [
        'systemctl',
        'is-active',
        'edgeship-probe.service',
        'ssh.service',
      ]),
      'active\nactive',
    );
    assert.ok(bootBefore.length > 0);
    const output = await ansiblePing(up.inventoryPath);
    assert.equal(output.match(/"ping": "pong"/g)?.length, 2, output);
    const status = await fleetStatus(FLEET);
    assert.deepEqual(
      status.nodes.map((n) => `${n.state}/${n.system}`),
      ['running/running', 'running/running'],
    );
  });

  it('down removes exactly this fleet: containers, network, generated files', async () => {
    // Neighbours a careless down would hit: an unlabelled container in our naming scheme, and a
    // container and network of a fleet whose name starts like ours. (The engine is shared, so the
    // test plants its own neighbours rather than counting everyone else's.)
    const image = (await ensureNodeImage('arm64')).tag;
    const neighbour = `${FLEET}x`;
    const planted = {
      unlabelled: `edgeship-${FLEET}-9`,
      container: `edgeship-${neighbour}-1`,
      network: `edgeship-${neighbour}-net`,
    };
    await docker(['create', '--pull=never', '--name', planted.unlabelled, image, '/bin/true']);
    const label = ['--label', `edgeship.fleet=${neighbour}`];
    await docker(['create', '--pull=never', '--name', planted.container, ...label, image, '/bin/true']);
    await docker(['network', 'create', ...label, planted.network]);
    try {
      const result = await fleetDown(FLEET);
      assert.deepEqual(result.removedContainers, [`edgeship-${FLEET}-1`, `edgeship-${FLEET}-2`]);
      assert.deepEqual(result.removedNetworks, [`edgeship-${FLEET}-net`]);
      assert.equal(await docker(['ps', '-aq', '--filter', `label=edgeship.fleet=${FLEET}`]), '');
      assert.equal(await docker(['network', 'ls', '-q', '--filter', `label=edgeship.fleet=${FLEET}`]), '');
      await assert.rejects(access(fleetDirOf(resolveWorkspaceRoot(), FLEET)));
      for (const name of [planted.unlabelled, planted.container]) {
        assert.notEqual(await docker(['ps', '-aq', '--filter', `name=^${name}$`]), '', `${name} survives`);
      }
      assert.notEqual(await docker(['network', 'ls', '-q', '--filter', `name=^${planted.network}$`]), '');
      assert.deepEqual((await fleetDown(FLEET)).removedContainers, [], 'a second down has nothing to do');
    } finally {
      await docker(['rm', '--force', planted.unlabelled, planted.container]);
      await docker(['network', 'rm', planted.network]);
    }
  });
});

describe('edge fleet bad input', { timeout: 30 * 60_000 }, () => {
  it('fails on a busy port before creating anything, naming the port and the fix', async () => {
    const fleet = testFleetName('fleettest-busy');
    const server: Server = createServer();
    const base = (await findFreePortBase(fleet, 1))!;
    await new Promise<void>((resolve) => server.listen(base + 1, '127.0.0.1', resolve));
    try {
      await assert.rejects(
        fleetUp({ name: fleet, nodes: 1, portBase: base }),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message.includes(`127.0.0.1: port is ${base + 1}`) &&
          e.message.includes('--port-base'),
      );
    } finally {
      server.close();
    }
    assert.equal(await docker(['ps', '-aq', '--filter', `label=edgeship.fleet=${fleet}`]), '');
    assert.equal(await docker(['network', 'ls', '-q', '--filter', `label=edgeship.fleet=${fleet}`]), '');
    await assert.rejects(access(fleetDirOf(resolveWorkspaceRoot(), fleet)));
  });

  it('removes every container, the network and the keys a failed up of 2 nodes created', async () => {
    const fleet = testFleetName('fleettest-fail');
    const started = Date.now();
    await assert.rejects(
      fleetUp({ name: fleet, nodes: 2, bootTimeoutMs: 1 }),
      (e: unknown) => e instanceof ToolError && /did not finish booting/.test(e.message),
    );
    assert.ok(Date.now() - started < 120_000, `took ${Date.now() - started} ms`);
    assert.equal(await docker(['ps', '-aq', '--filter', `label=edgeship.fleet=${fleet}`]), '');
    assert.equal(await docker(['network', 'ls', '-q', '--filter', `label=edgeship.fleet=${fleet}`]), '');
    await assert.rejects(access(fleetDirOf(resolveWorkspaceRoot(), fleet)));
  });

  it('the CLI names the bootstrap script when no docker engine answers', async () => {
    const result = await runCommand('node', ['--import', 'tsx', CLI, 'up', '--name', 'fleettest-nodocker'], {
      check: false,
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /No docker engine answers: run tools\/bootstrap\/bootstrap\.sh/);
  });

  it('the CLI refuses bad input with exit code 1 and the fix', async () => {
    for (const [args, message] of [
      [['up', '--nodes', '0'], /--nodes is 0\. Use a whole number from 1 to 8/],
      [['up', '--nodes', '9'], /--nodes is 9/],
      [['up', '--arch', 's390x'], /--arch is "s390x"\. Use one of: arm64, amd64/],
      [['up', '--name', 'Bad_Name'], /--name is "Bad_Name"/],
    ] as const) {
      const result = await runCommand('node', ['--import', 'tsx', CLI, ...args], { check: false });
      assert.equal(result.exitCode, 1, args.join(' '));
      assert.match(result.stderr, message);
    }
  });
});

describe('edge fleet name clash', { timeout: 30 * 60_000 }, () => {
  it('refuses names taken by containers it does not own, and leaves them alone', async () => {
    const fleet = testFleetName('fleettest-clash');
    const image = (await ensureNodeImage('arm64')).tag;
    await docker(['create', '--pull=never', '--name', `edgeship-${fleet}-1`, image, '/bin/true']);
    try {
      await assert.rejects(
        fleetUp({ name: fleet, nodes: 1 }),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message.includes(`container edgeship-${fleet}-1`) &&
          e.message.includes('pick another --name'),
      );
      assert.equal(
        await docker(['ps', '-aq', '--filter', `name=^edgeship-${fleet}-1$`]).then((id) => id.length > 0),
        true,
      );
      assert.equal(await docker(['network', 'ls', '-q', '--filter', `label=edgeship.fleet=${fleet}`]), '');
    } finally {
      await docker(['rm', '--force', `edgeship-${fleet}-1`]);
    }
  });

  it('refuses up and down of a same-named fleet that another workspace brought up', async () => {
    const fleet = testFleetName('fleettest-other');
    const image = (await ensureNodeImage('arm64')).tag;
    const name = `edgeship-${fleet}-1`;
    const labels = ['--label', `edgeship.fleet=${fleet}`, '--label', 'edgeship.workspace=/elsewhere/clone'];
    await docker(['create', '--pull=never', '--name', name, ...labels, image, '/bin/true']);
    try {
      const isForeign = (e: unknown) =>
        e instanceof ConfigError &&
        e.message.includes(`Fleet "${fleet}" belongs to the workspace /elsewhere/clone`);
      await assert.rejects(fleetUp({ name: fleet, nodes: 1 }), isForeign);
      await assert.rejects(fleetDown(fleet), isForeign);
      assert.notEqual(
        await docker(['ps', '-aq', '--filter', `name=^${name}$`]),
        '',
        'the other clone keeps its node',
      );
    } finally {
      await docker(['rm', '--force', name]);
    }
  });
});
