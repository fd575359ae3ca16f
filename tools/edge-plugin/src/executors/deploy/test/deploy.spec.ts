import assert from 'node:assert/strict';
import { appendFile, copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { fleetDown, fleetUp, parseInventory, type FleetInventory } from '@edgeship/edge-fleet';
import { waitForSystemRunning } from '@edgeship/edge-fleet/node-container';
import { waitForSsh } from '@edgeship/edge-fleet/ssh';
import { testFleetName, startHammer } from '@edgeship/edge-common/testing';
import { runCommand } from '@edgeship/edge-common';
import { recordExecutables } from '../../bundle/lib/executables-record';
import { readPinnedRuntime } from '../../../lib/runtime/runtime-version';
import deployExecutor from '../deploy.impl';
import type { DeployExecutorOptions } from '../schema';
import {
  contextFor,
  execOnNode,
  getJson,
  readExposure,
  readReport,
  waitForStaging,
  WORKSPACE_ROOT,
} from './fleet-helpers';
import { writeReleaseVariant } from './release-variants';

/*
 * The real thing: a fleet of two emulated arm64 systemd nodes, real ansible-playbook, the real hello-edge
 * single executable (v1 as the bundle target built it, v2 and v3 the same bundle with a one-line version
 * change, v3 also answering 503 on /healthz, v4 healthy again). EDGESHIP_DEPLOY_TEST_INVENTORY reuses a fleet
 * that is up.
 */
const SERVICE = 'hello-edge';
const PORT = 8101;
const FLEET = testFleetName('deployspec');
const MINUTES = 60_000;

let inventory: FleetInventory;
let workDir: string;
let reportFile: string;
const artifacts: Record<'v1' | 'v2' | 'v3' | 'v4', string> = { v1: '', v2: '', v3: '', v4: '' };
let versions: Record<'v1' | 'v2' | 'v3' | 'v4', string>;

/** Deploys a build of hello-edge that reports `version` (the executor's own default is package.json's). */
async function deploy(artifactDir: string, version: string, options: DeployExecutorOptions = {}) {
  const result = await deployExecutor(
    {
      inventory: inventory.path,
      artifactDir,
      report: reportFile,
      healthTimeout: 30,
      stabilityWindow: 5,
      version,
      // Unsigned builds of the test's own: the local fleet accepts them when told so, in CI too.
      allowUnsigned: true,
      ...options,
    },
    contextFor(SERVICE),
  );
  return { success: result.success, report: await readReport(reportFile) };
}

async function readVersions(): Promise<string[]> {
  return Promise.all(
    inventory.hosts.map(
      async (host) => (await getJson(host.publishedPorts.get(PORT)!, '/version')).body.version,
    ),
  );
}

describe('deploy executor on a real fleet', { timeout: 120 * MINUTES }, () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-deploy-spec-'));
    reportFile = join(workDir, 'report.json');
    const fromEnv = process.env['EDGESHIP_DEPLOY_TEST_INVENTORY'];
    inventory = fromEnv
      ? parseInventory(fromEnv, await readFile(fromEnv, 'utf8'))
      : (await fleetUp({ name: FLEET, nodes: 2, arch: 'arm64' })).inventory;
    await runCommand('npx', ['nx', 'run', `${SERVICE}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    // v1 is the bundle target's own output, copied so a rebuild elsewhere cannot change it under the test.
    artifacts.v1 = join(workDir, 'v1');
    await mkdir(join(artifacts.v1, 'bin'), { recursive: true });
    await copyFile(
      join(WORKSPACE_ROOT, 'dist', SERVICE, 'bin', `${SERVICE}-linux-arm64`),
      join(artifacts.v1, 'bin', `${SERVICE}-linux-arm64`),
    );
    // With the bundle's part of the build record: what deploy reads.
    await copyFile(
      join(WORKSPACE_ROOT, 'dist', SERVICE, 'bin', 'executables.json'),
      join(artifacts.v1, 'bin', 'executables.json'),
    );
    const v1 = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'packages', SERVICE, 'package.json'), 'utf8'))
      .version as string;
    // v4 must be new to the nodes (a reused fleet keeps releases): killing a node mid-upload needs an upload.
    versions = { v1, v2: `${v1}-v2`, v3: `${v1}-v3`, v4: `${v1}-v4.${Date.now()}` };
    const variant = {
      workspaceRoot: WORKSPACE_ROOT,
      service: SERVICE,
      archs: ['arm64' as const],
      outDir: workDir,
    };
    artifacts.v2 = await writeReleaseVariant({ ...variant, version: versions.v2 });
    artifacts.v3 = await writeReleaseVariant({
      ...variant,
      version: versions.v3,
      fault: 'unhealthy-healthz',
    });
    artifacts.v4 = await writeReleaseVariant({ ...variant, version: versions.v4 });
  });

  after(async () => {
    if (!process.env['EDGESHIP_DEPLOY_TEST_INVENTORY']) await fleetDown(FLEET).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it('deploys v1 to every node, answering /version through 127.0.0.1', async () => {
    // Both nodes at once: this run proves the install; the canary order is the v3 test's business.
    const { success, report } = await deploy(artifacts.v1, versions.v1, { serial: '100%' });
    assert.equal(success, true, JSON.stringify(report.nodes));
    assert.deepEqual(
      report.nodes.map((n) => n.health),
      ['healthy', 'healthy'],
    );
    assert.deepEqual(await readVersions(), [versions.v1, versions.v1]);
    const version = await getJson(inventory.hosts[0]!.publishedPorts.get(PORT)!, '/version');
    assert.equal(version.body.arch, 'arm64');
  });

  it('deploys the same release again with changed=0 on every node', async () => {
    const { success, report } = await deploy(artifacts.v1, versions.v1, { serial: '100%' });
    assert.equal(success, true);
    assert.deepEqual(
      report.nodes.map((n) => n.changed),
      [0, 0],
    );
  });

  it('runs the unit hardened: systemd-analyze security exposure at most 2.0', async () => {
    for (const host of inventory.hosts) {
      const exposure = await readExposure(host.container, `edgeship-${SERVICE}.service`);
      assert.ok(exposure <= 2.0, `${host.name}: exposure ${exposure}`);
    }
  });

  it('deploys v2, a one-line change, to every node without failing a request (socket activation)', async () => {
    const hammer = startHammer(inventory.hosts[0]!.publishedPorts.get(PORT)!);
    const { success } = await deploy(artifacts.v2, versions.v2, { serial: '100%' });
    const requests = await hammer.stop();
    assert.equal(success, true);
    assert.deepEqual(await readVersions(), [versions.v2, versions.v2]);
    // The unit restarted under the client: systemd held the port, so requests waited instead of failing.
    assert.ok(requests.ok > 0, JSON.stringify(requests));
    assert.equal(requests.failed, 0, JSON.stringify(requests));
  });

  it('rolls the canary back from a v3 whose /healthz fails, stops the rollout and exits unsuccessfully', async () => {
    // v3 also changes the unit (RestartSec) and the environment (its release's service.env): the rollback must
    // bring back the unit v2 ran under, and v2's environment.
    const { success, report } = await deploy(artifacts.v3, versions.v3, {
      extraVars: { edge_service_environment: { EDGESHIP_SPEC_RELEASE: 'v3' }, edge_service_restart_sec: 3 },
    });
    assert.equal(success, false);
    const [canary, rest] = report.nodes;
    assert.equal(canary!.health, 'failed');
    assert.match(canary!.error!, /healthz.*rolled back to .*which is healthy/s);
    // The cause lives in the node's journal: the report carries its last lines (what v3 logged at start; each
    // line is cut at 200 characters, and pino's shape puts msg last, so look for the version it started as).
    assert.ok(
      canary!.journal?.some((line) => line.includes(`"version":"${versions.v3}"`)),
      JSON.stringify(canary!.journal),
    );
    assert.equal(rest!.health, 'not reached');
    assert.deepEqual(await readVersions(), [versions.v2, versions.v2]);
    const canaryNode = inventory.hosts[0]!.container;
    const unit = await execOnNode(canaryNode, ['systemctl', 'cat', `edgeship-${SERVICE}.service`]);
    assert.match(unit, /^RestartSec=2$/m);
    assert.doesNotMatch(unit, /EDGESHIP_SPEC_RELEASE/);
    assert.doesNotMatch(await execOnNode(canaryNode, ['ls', '/etc/systemd/system']), /~/);
    const pid = await execOnNode(canaryNode, [
      'systemctl',
      'show',
      '--property=MainPID',
      '--value',
      `edgeship-${SERVICE}.service`,
    ]);
    const environ = await execOnNode(canaryNode, ['cat', `/proc/${pid.trim()}/environ`]);
    assert.match(environ, /(^|\0)NODE_ENV=production(\0|$)/, "read the running service's environment");
    assert.doesNotMatch(environ, /EDGESHIP_SPEC_RELEASE/);
  });

  it('delivers the container service as its executable where podman cannot run, hardened, with a state dir', async () => {
    const gateway = 'telemetry-gateway';
    await runCommand('npx', ['nx', 'run', `${gateway}:image`], { cwd: WORKSPACE_ROOT, stream: true });
    const artifactDir = join(workDir, gateway);
    await cp(join(WORKSPACE_ROOT, 'dist', gateway, 'image'), join(artifactDir, 'image'), { recursive: true });
    await cp(join(WORKSPACE_ROOT, 'dist', gateway, 'bin'), join(artifactDir, 'bin'), { recursive: true });
    const result = await deployExecutor(
      {
        inventory: inventory.path,
        artifactDir,
        report: reportFile,
        serial: '100%',
        allowUnsigned: true,
        healthTimeout: 60,
        stabilityWindow: 5,
        extraVars: { edge_service_state_dir: true },
      },
      contextFor(gateway),
    );
    const report = await readReport(reportFile);
    assert.equal(result.success, true, JSON.stringify(report.nodes));
    assert.deepEqual(
      report.nodes.map((n) => n.delivery),
      ['binary', 'binary'],
    );
    for (const host of inventory.hosts) {
      assert.equal((await getJson(host.publishedPorts.get(8102)!, '/version')).body.name, gateway);
      const exposure = await readExposure(host.container, `edgeship-${gateway}.service`);
      assert.ok(exposure <= 2.0, `${host.name}: exposure ${exposure}`);
      await execOnNode(host.container, ['test', '-d', `/var/lib/private/edgeship-${gateway}`]);
    }
  });

  it('refuses a tampered artifact before anything on a node changes', async () => {
    const tampered = join(workDir, 'tampered');
    await cp(artifacts.v2, tampered, { recursive: true });
    await rm(join(tampered, 'bundle'), { recursive: true, force: true });
    await appendFile(join(tampered, 'bin', `${SERVICE}-linux-arm64`), 'x');
    const before = await execOnNode(inventory.hosts[0]!.container, [
      'ls',
      `/opt/edgeship/${SERVICE}/releases`,
    ]);
    const { success, report } = await deploy(tampered, versions.v2);
    assert.equal(success, false);
    assert.equal(report.nodes[0]!.health, 'refused');
    assert.match(report.nodes[0]!.error!, /tampered or stale/);
    assert.equal(
      await execOnNode(inventory.hosts[0]!.container, ['ls', `/opt/edgeship/${SERVICE}/releases`]),
      before,
    );
    assert.deepEqual(await readVersions(), [versions.v2, versions.v2]);
  });

  it('refuses an artifact built for another architecture', async () => {
    const wrong = join(workDir, 'wrong-arch');
    await mkdir(join(wrong, 'bin'), { recursive: true });
    // An x64 executable under the arm64 name, recorded with its true checksum: only the ELF header tells.
    await copyFile(
      join(WORKSPACE_ROOT, 'dist', SERVICE, 'bin', `${SERVICE}-linux-x64`),
      join(wrong, 'bin', `${SERVICE}-linux-arm64`),
    );
    await recordExecutables(
      wrong,
      {
        service: SERVICE,
        version: versions.v2,
        revision: undefined,
        node: readPinnedRuntime(WORKSPACE_ROOT).version,
      },
      [{ arch: 'arm64', file: join(wrong, 'bin', `${SERVICE}-linux-arm64`), bytes: 0 }],
    );
    const { success, report } = await deploy(wrong, versions.v2);
    assert.equal(success, false);
    // One inspection of the artifact for every node that gets it, naming them all.
    assert.match(report.nodes[0]!.error!, /is built for amd64 but \S+-1, \S+-2 are arm64/);
    assert.deepEqual(await readVersions(), [versions.v2, versions.v2]);
  });

  it('reports a node that is down and a node that refuses the key as unreachable, and deploys the others', async () => {
    // A copy of the fleet's inventory: a node nobody listens for listed first (it would be the canary),
    // the first real node, and the second real node under another name with a key it does not accept.
    const document = parse(await readFile(inventory.path, 'utf8'));
    const nodes = document.all.children.edge.hosts;
    const [first, second] = inventory.hosts;
    const wrongKey = join(workDir, 'wrong_ed25519');
    await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    document.all.children.edge.hosts = {
      'edge-down': { ansible_host: '127.0.0.1', ansible_port: 1 },
      [first!.name]: nodes[first!.name],
      // Its own SSH connection: a master kept from an earlier run would skip the key check.
      'edge-wrong-key': {
        ...nodes[second!.name],
        ansible_ssh_private_key_file: wrongKey,
        ansible_ssh_args: '-o ControlMaster=no -o ControlPath=none',
      },
    };
    // Beside the fleet's own inventory: still the local fleet, whose unsigned test builds are allowed.
    const broken = join(dirname(inventory.path), 'unreachable.yml');
    await writeFile(broken, stringify(document));
    const result = await deployExecutor(
      {
        inventory: broken,
        artifactDir: artifacts.v2,
        allowUnsigned: true,
        report: reportFile,
        version: versions.v2,
        healthTimeout: 30,
      },
      contextFor(SERVICE),
    );
    const report = await readReport(reportFile);
    assert.equal(result.success, false);
    const byNode = new Map(report.nodes.map((node) => [node.node, node]));
    assert.equal(byNode.get(first!.name)?.health, 'healthy', JSON.stringify(report.nodes));
    assert.equal(byNode.get('edge-down')?.health, 'unreachable');
    assert.match(byNode.get('edge-down')!.error!, /port 1: Connection refused/);
    assert.equal(byNode.get('edge-wrong-key')?.health, 'unreachable');
    assert.match(byNode.get('edge-wrong-key')!.error!, /Permission denied \(publickey\)/);
    assert.deepEqual(await readVersions(), [versions.v2, versions.v2]);
  });

  it('finishes the other node when one is killed mid-deploy, and a rerun after its restart converges', async () => {
    const victim = inventory.hosts[1]!;
    const victimPort = victim.publishedPorts.get(PORT)!;
    const before = (await getJson(victimPort, '/version')).body.version;
    const deploying = deploy(artifacts.v4, versions.v4, { serial: '100%' });
    // Killed while the new release is being staged on it: after the switch would be too late to matter.
    const isStaging = await Promise.race([
      waitForStaging(victim.container, SERVICE, 10 * MINUTES).then(() => true),
      deploying.then(() => false),
    ]);
    assert.ok(isStaging, `${victim.name} finished the deploy before a staging directory appeared`);
    await runCommand('docker', ['kill', victim.container]);
    const { success, report } = await deploying;
    assert.equal(success, false);
    const byNode = new Map(report.nodes.map((node) => [node.node, node]));
    assert.equal(byNode.get(inventory.hosts[0]!.name)?.health, 'healthy', JSON.stringify(report.nodes));
    assert.notEqual(byNode.get(victim.name)?.health, 'healthy');
    assert.equal(
      (await getJson(inventory.hosts[0]!.publishedPorts.get(PORT)!, '/version')).body.version,
      versions.v4,
    );

    // Restarted, the node runs a whole release (the old one: the switch never happened), not a broken mix.
    await runCommand('docker', ['start', victim.container]);
    await waitForSystemRunning(victim.container, 5 * MINUTES);
    await waitForSsh(inventory.privateKeyFile, victim.ansiblePort, 2 * MINUTES);
    assert.equal((await getJson(victimPort, '/version')).body.version, before);

    const rerun = await deploy(artifacts.v4, versions.v4, { serial: '100%' });
    assert.equal(rerun.success, true, JSON.stringify(rerun.report.nodes));
    assert.deepEqual(await readVersions(), [versions.v4, versions.v4]);
    const releases = await execOnNode(victim.container, ['ls', '-a', `/opt/edgeship/${SERVICE}/releases`]);
    assert.doesNotMatch(releases, /\.staging-/, 'the rerun leaves no staging directory behind');
  });
});
