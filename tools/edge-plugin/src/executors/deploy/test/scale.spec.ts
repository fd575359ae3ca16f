import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetDown, fleetUp, type FleetInventory } from '@edgeship/edge-fleet';
import { waitForSystemRunning } from '@edgeship/edge-fleet/node-container';
import { waitForSsh } from '@edgeship/edge-fleet/ssh';
import { testFleetName } from '@edgeship/edge-common/testing';
import { runCommand } from '@edgeship/edge-common';
import deployExecutor from '../deploy.impl';
import type { DeployExecutorOptions } from '../schema';
import { contextFor, getJson, readReport, waitForStaging, WORKSPACE_ROOT } from './fleet-helpers';
import { writeReleaseVariant } from './release-variants';

/*
 * A 16-node rollout on a real amd64 fleet (the largest a fleet may be; the architecture does not matter here)
 * with two nodes killed while their new release is being staged (deploy.yml stages every node but the canary
 * while the canary's health gate runs). The failure threshold must count them: the rollout stops before its
 * second batch, the report names both, and a rerun after their restart converges.
 */
const SERVICE = 'hello-edge';
const PORT = 8101;
const NODES = 16;
const FLEET = testFleetName('scale');
const MINUTES = 60_000;
// Canary, then 5 nodes (two of which are killed while staged), then the other 10: 2 of 16 failed is over 10 %.
const SERIAL = [1, 5, '100%'];
const MAX_FAIL_PERCENTAGE = 10;

let inventory: FleetInventory;
let workDir: string;
let reportFile: string;
const versions = { v1: '', v2: '' };
const artifacts = { v1: '', v2: '' };

async function deploy(which: 'v1' | 'v2', options: DeployExecutorOptions = {}) {
  const result = await deployExecutor(
    {
      inventory: inventory.path,
      artifactDir: artifacts[which],
      report: reportFile,
      healthTimeout: 60,
      stabilityWindow: 2,
      version: versions[which],
      allowUnsigned: true,
      ...options,
    },
    contextFor(SERVICE),
  );
  return { success: result.success, report: await readReport(reportFile) };
}

async function versionOn(port: number): Promise<string> {
  return (await getJson(port, '/version')).body.version;
}

/** Kills `container` as soon as it holds a staging directory of the service: its upload has begun. */
async function killWhenStaging(container: string, timeoutMs: number): Promise<void> {
  await waitForStaging(container, SERVICE, timeoutMs, 200);
  await runCommand('docker', ['kill', container]);
}

describe(`a ${NODES}-node rollout on a real fleet`, { timeout: 60 * MINUTES }, () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-scale-spec-'));
    reportFile = join(workDir, 'report.json');
    inventory = (await fleetUp({ name: FLEET, nodes: NODES, arch: 'amd64' })).inventory;
    await runCommand('npx', ['nx', 'run', `${SERVICE}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    const base = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'packages', SERVICE, 'package.json'), 'utf8'))
      .version as string;
    // New to the nodes on every run, so each deploy really uploads (a killed node needs an upload to die in).
    const stamp = Date.now();
    versions.v1 = `${base}-scale1.${stamp}`;
    versions.v2 = `${base}-scale2.${stamp}`;
    for (const which of ['v1', 'v2'] as const) {
      artifacts[which] = await writeReleaseVariant({
        workspaceRoot: WORKSPACE_ROOT,
        service: SERVICE,
        version: versions[which],
        archs: ['x64'],
        outDir: workDir,
      });
    }
  });

  after(async () => {
    await fleetDown(FLEET).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it(`deploys to all ${NODES} nodes with the default rollout`, async () => {
    const { success, report } = await deploy('v1');
    assert.equal(success, true, JSON.stringify(report.nodes));
    assert.equal(report.nodes.length, NODES);
    const served = await Promise.all(
      inventory.hosts.map((host) => versionOn(host.publishedPorts.get(PORT)!)),
    );
    assert.deepEqual(served, Array(NODES).fill(versions.v1));
  });

  it('stops the rollout when two killed nodes put it over its failure threshold, naming them', async () => {
    const victims = [inventory.hosts[2]!, inventory.hosts[4]!];
    const deploying = deploy('v2', { serial: SERIAL, maxFailPercentage: MAX_FAIL_PERCENTAGE });
    const killed = await Promise.race([
      Promise.all(victims.map((victim) => killWhenStaging(victim.container, 10 * MINUTES))).then(() => true),
      deploying.then(() => false),
    ]);
    assert.ok(killed, 'the deploy finished before both victims were staging');
    const { success, report } = await deploying;

    assert.equal(success, false);
    const health = new Map(report.nodes.map((node) => [node.node, node.health]));
    for (const victim of victims) {
      assert.equal(health.get(victim.name), 'unreachable', JSON.stringify(report.nodes));
    }
    // The canary switched. The victims died while staged, before any node of the second batch switched: no
    // other node was reached (each holds v2 staged, and still serves v1).
    const canary = inventory.hosts[0]!;
    assert.equal(health.get(canary.name), 'healthy', `${canary.name}: ${JSON.stringify(report.nodes)}`);
    assert.equal(await versionOn(canary.publishedPorts.get(PORT)!), versions.v2);
    for (const host of inventory.hosts.slice(1).filter((each) => !victims.includes(each))) {
      assert.equal(health.get(host.name), 'not reached', `${host.name}: ${JSON.stringify(report.nodes)}`);
      assert.equal(await versionOn(host.publishedPorts.get(PORT)!), versions.v1);
    }
  });

  it('converges on a rerun once the killed nodes are back', async () => {
    const victims = [inventory.hosts[2]!, inventory.hosts[4]!];
    await Promise.all(
      victims.map(async (victim) => {
        await runCommand('docker', ['start', victim.container]);
        await waitForSystemRunning(victim.container, 5 * MINUTES);
        await waitForSsh(inventory.privateKeyFile, victim.ansiblePort, 2 * MINUTES);
      }),
    );
    const { success, report } = await deploy('v2', { maxFailPercentage: MAX_FAIL_PERCENTAGE });
    assert.equal(success, true, JSON.stringify(report.nodes));
    const served = await Promise.all(
      inventory.hosts.map((host) => versionOn(host.publishedPorts.get(PORT)!)),
    );
    assert.deepEqual(served, Array(NODES).fill(versions.v2));
  });
});
