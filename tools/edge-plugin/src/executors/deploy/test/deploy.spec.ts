import assert from 'node:assert/strict';
import { appendFile, copyFile, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetDown, fleetUp, parseInventory, type FleetInventory } from '../../../../../edge-fleet/src/index';
import { runCommand } from '../../../lib/run-command';
import deployExecutor from '../deploy.impl';
import type { DeployExecutorOptions } from '../schema';
import { contextFor, execOnNode, getJson, readExposure, readReport, WORKSPACE_ROOT } from './fleet-helpers';
import { writeReleaseVariant } from './release-variants';

/*
 * The real thing: a fleet of two emulated arm64 systemd nodes, real ansible-playbook, the real hello-edge
 * single executable (v1 as the bundle target built it, v2 and v3 the same bundle with a one-line version
 * change, v3 also answering 503 on /healthz). EDGESHIP_DEPLOY_TEST_INVENTORY reuses a fleet that is up.
 */
const SERVICE = 'hello-edge';
const PORT = 8101;
const FLEET = 'deployspec';
const MINUTES = 60_000;

let inventory: FleetInventory;
let workDir: string;
let reportFile: string;
const artifacts: Record<'v1' | 'v2' | 'v3', string> = { v1: '', v2: '', v3: '' };
let versions: Record<'v1' | 'v2' | 'v3', string>;

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
    const v1 = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'packages', SERVICE, 'package.json'), 'utf8'))
      .version as string;
    versions = { v1, v2: `${v1}-v2`, v3: `${v1}-v3` };
    const variant = {
      workspaceRoot: WORKSPACE_ROOT,
      service: SERVICE,
      archs: ['arm64' as const],
      outDir: workDir,
    };
    artifacts.v2 = await writeReleaseVariant({ ...variant, version: versions.v2, isHealthy: true });
    artifacts.v3 = await writeReleaseVariant({ ...variant, version: versions.v3, isHealthy: false });
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

  it('deploys v2, a one-line change, to every node', async () => {
    const { success } = await deploy(artifacts.v2, versions.v2, { serial: '100%' });
    assert.equal(success, true);
    assert.deepEqual(await readVersions(), [versions.v2, versions.v2]);
  });

  it('rolls the canary back from a v3 whose /healthz fails, stops the rollout and exits unsuccessfully', async () => {
    const { success, report } = await deploy(artifacts.v3, versions.v3);
    assert.equal(success, false);
    const [canary, rest] = report.nodes;
    assert.equal(canary!.health, 'failed');
    assert.match(canary!.error!, /healthz.*rolled back to .*which is healthy/s);
    assert.equal(rest!.health, 'not reached');
    assert.deepEqual(await readVersions(), [versions.v2, versions.v2]);
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
    const { success, report } = await deploy(wrong, versions.v2);
    assert.equal(success, false);
    assert.match(report.nodes[0]!.error!, /is built for amd64 but .* is arm64/);
    assert.deepEqual(await readVersions(), [versions.v2, versions.v2]);
  });
});
