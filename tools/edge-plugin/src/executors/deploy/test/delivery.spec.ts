import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetDown, fleetUp, parseInventory, type FleetInventory } from '@edgeship/edge-fleet';
import { testFleetName } from '@edgeship/edge-common/testing';
import { runCommand } from '@edgeship/edge-common';
import { hashFile } from '../../../lib/sha256';
import type { NodeOutcome } from '../lib/deploy-report';
import type { DeployReport } from '../lib/print-summary';
import { runDeployBatch } from './deploy-batch';
import { execOnNode, getJson, readReceivedBytes, WORKSPACE_ROOT } from './fleet-helpers';
import { readBuildRecord } from '../../../lib/build-record';
import { copyBuiltExecutable, START_FAILURE_MESSAGE, writeReleaseVariant } from './release-variants';

/*
 * Incremental delivery on a real fleet of two amd64 systemd nodes (the architecture does not matter here;
 * deploy.spec.ts covers arm64): what a node receives for a first install, a second service, a one-line change
 * and an unchanged redeploy, counted on its eth0; the no-op path; the delta's fallbacks. Both services go out
 * through the executor's batch implementation, as `npm start` and `nx affected -t deploy` run them.
 * EDGESHIP_DELIVERY_TEST_INVENTORY reuses an amd64 fleet that is up.
 */
const HELLO = 'hello-edge';
const GATEWAY = 'telemetry-gateway';
const FLEET = testFleetName('delivery');
const MINUTES = 60_000;
const MiB = 1024 * 1024;

let inventory: FleetInventory;
let workDir: string;
const artifacts: Record<string, string> = {};
let versions: Record<'v1' | 'v2' | 'v3' | 'v4' | 'v5' | 'v6' | 'throws' | 'gateway', string>;

/**
 * A batch of deploy tasks, as Nx hands them to the batch implementation; returns each service's report. All nodes
 * in one batch unless `serial` says otherwise.
 */
async function deployTogether(
  deploys: { service: string; artifactDir: string; version: string }[],
  serial = '100%',
): Promise<Record<string, DeployReport>> {
  const options = Object.fromEntries(
    deploys.map(({ service, artifactDir, version }) => [
      service,
      {
        ...{ inventory: inventory.path, artifactDir, version, serial, allowUnsigned: true },
        ...{ healthTimeout: 30, stabilityWindow: 2, report: join(workDir, `${service}.json`) },
        // Binary delivery for both: this spec is about executables sharing a runtime (container.spec.ts has images).
        delivery: 'binary' as const,
      },
    ]),
  );
  const results = await runDeployBatch(options);
  const reports: Record<string, DeployReport> = {};
  for (const { service } of deploys) {
    reports[service] = JSON.parse(await readFile(join(workDir, `${service}.json`), 'utf8'));
    assert.equal(results[`${service}:deploy`]!.success, reports[service]!.success);
  }
  return reports;
}

/** Runs work and returns what each node received on eth0 meanwhile (artifact, SSH and Ansible's modules). */
async function measureReceived<T>(work: () => Promise<T>): Promise<{ result: T; received: number[] }> {
  const before = await Promise.all(inventory.hosts.map((host) => readReceivedBytes(host.container)));
  const result = await work();
  const after = await Promise.all(inventory.hosts.map((host) => readReceivedBytes(host.container)));
  return { result, received: after.map((bytes, index) => bytes - before[index]!) };
}

const CURRENT = `/opt/edgeship/${HELLO}/current/${HELLO}`;

/** Stops the service and its socket unit: /healthz no longer answers, the unit is inactive. */
async function stopService(container: string): Promise<void> {
  await execOnNode(container, ['systemctl', 'stop', `edgeship-${HELLO}.socket`, `edgeship-${HELLO}.service`]);
}

const describeRows = (nodes: NodeOutcome[]) =>
  nodes.map((n) => `${n.node} ${n.health} ${n.action} ${n.transfer} ${n.transferBytes}`).join('\n');

async function readVersionOn(index: number, port = 8101): Promise<string> {
  return (await getJson(inventory.hosts[index]!.publishedPorts.get(port)!, '/version')).body.version;
}

describe('incremental delivery on a real amd64 fleet', { timeout: 60 * MINUTES }, () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-delivery-spec-'));
    const fromEnv = process.env['EDGESHIP_DELIVERY_TEST_INVENTORY'];
    inventory = fromEnv
      ? parseInventory(fromEnv, await readFile(fromEnv, 'utf8'))
      : (await fleetUp({ name: FLEET, nodes: 2, arch: 'amd64' })).inventory;
    await runCommand('npx', ['nx', 'run-many', '-t', 'bundle', '-p', HELLO, GATEWAY], {
      cwd: WORKSPACE_ROOT,
      stream: true,
    });
    // The gateway as the bundle target built it, copied so a rebuild elsewhere cannot change it.
    artifacts.gateway = join(workDir, 'gateway');
    await copyBuiltExecutable(WORKSPACE_ROOT, GATEWAY, 'x64', artifacts.gateway);
    // Unique per run: a reused fleet keeps releases, and each step must bring a release new to the nodes.
    const run = Date.now();
    versions = {
      ...{ v1: `1.0.0-d1.${run}`, v2: `1.0.0-d2.${run}`, v3: `1.0.0-d3.${run}`, v4: `1.0.0-d4.${run}` },
      v5: `1.0.0-d6.${run}`,
      v6: `1.0.0-d7.${run}`,
      throws: `1.0.0-d5.${run}`,
      // The version the copied gateway was built with: the one its record names.
      gateway: readBuildRecord(artifacts.gateway)!.version,
    };
    const variant = {
      workspaceRoot: WORKSPACE_ROOT,
      service: HELLO,
      archs: ['x64' as const],
      outDir: workDir,
    };
    for (const key of ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'] as const) {
      artifacts[key] = await writeReleaseVariant({ ...variant, version: versions[key] });
    }
    artifacts.throws = await writeReleaseVariant({
      ...variant,
      version: versions.throws,
      fault: 'throws-at-start',
    });
  });

  after(async () => {
    if (!process.env['EDGESHIP_DELIVERY_TEST_INVENTORY']) await fleetDown(FLEET).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it('installs two services in ONE rollout, the second as a delta against the first (shared runtime)', async () => {
    // A fresh start for both services, so the first install really is one (a reused fleet has them).
    for (const host of inventory.hosts) {
      await execOnNode(host.container, ['rm', '-rf', `/opt/edgeship/${HELLO}`, `/opt/edgeship/${GATEWAY}`]);
    }
    const { result: reports, received } = await measureReceived(() =>
      deployTogether([
        { service: HELLO, artifactDir: artifacts.v1!, version: versions.v1 },
        { service: GATEWAY, artifactDir: artifacts.gateway!, version: versions.gateway },
      ]),
    );
    const hello = reports[HELLO]!;
    const gateway = reports[GATEWAY]!;
    assert.deepEqual(hello.rollout, [HELLO, GATEWAY], 'both services went out in one Ansible run');
    assert.deepEqual(gateway.rollout, [HELLO, GATEWAY]);
    assert.equal(hello.success && gateway.success, true, describeRows([...hello.nodes, ...gateway.nodes]));
    const executable = (await readFile(join(artifacts.gateway!, 'bin', `${GATEWAY}-linux-x64`))).length;
    for (const row of gateway.nodes) {
      assert.match(
        row.transfer,
        new RegExp(`^rsync delta against /opt/edgeship/${HELLO}/`),
        describeRows([row]),
      );
      // Its own code, not another Node.js runtime: a few percent of the executable at most.
      assert.ok(
        row.transferBytes < executable * 0.05,
        `${row.node} sent ${row.transferBytes} of ${executable}`,
      );
    }
    // hello-edge had no basis: rsync compresses it, so well under the executable's size.
    for (const [index, bytes] of received.entries()) {
      assert.ok(bytes < executable, `${inventory.hosts[index]!.name} received ${bytes} for two services`);
    }
    assert.equal(await readVersionOn(0), versions.v1);
    assert.equal(await readVersionOn(1, 8102), versions.gateway);
  });

  it('finds every node already running both releases: already deployed, changed=0, no artifact sent', async () => {
    const { result: reports, received } = await measureReceived(() =>
      deployTogether([
        { service: HELLO, artifactDir: artifacts.v1!, version: versions.v1 },
        { service: GATEWAY, artifactDir: artifacts.gateway!, version: versions.gateway },
      ]),
    );
    for (const report of Object.values(reports)) {
      assert.equal(report.success, true, describeRows(report.nodes));
      assert.deepEqual(
        report.nodes.map((n) => `${n.action} ${n.changed}`),
        ['already deployed 0', 'already deployed 0'],
      );
    }
    // One probe per node: tens of kilobytes, where the whole role cost megabytes.
    for (const bytes of received) assert.ok(bytes < 100 * 1024, `received ${bytes} for a no-op`);
  });

  it('ships a one-line change as an rsync delta: under 1 MiB received per node, everything counted', async () => {
    const { result: reports, received } = await measureReceived(() =>
      deployTogether([{ service: HELLO, artifactDir: artifacts.v2!, version: versions.v2 }]),
    );
    const hello = reports[HELLO]!;
    assert.equal(hello.success, true, describeRows(hello.nodes));
    for (const row of hello.nodes) {
      assert.match(row.transfer, /^rsync delta against /);
      assert.ok(row.transferBytes < 512 * 1024, `${row.node}: delta of ${row.transferBytes} bytes`);
    }
    for (const bytes of received) assert.ok(bytes < 1 * MiB, `received ${bytes} for a one-line change`);
    assert.equal(await readVersionOn(0), versions.v2);
    assert.equal(await readVersionOn(1), versions.v2);
  });

  it('gives the full role, not "already deployed", to a node whose service does not answer', async () => {
    const [first] = inventory.hosts;
    await stopService(first!.container);
    const reports = await deployTogether([
      { service: HELLO, artifactDir: artifacts.v2!, version: versions.v2 },
    ]);
    const rows = reports[HELLO]!.nodes;
    assert.equal(reports[HELLO]!.success, true, describeRows(rows));
    // The stopped node got the role, which started it again; the healthy one was left alone.
    assert.deepEqual(
      rows.map((n) => `${n.action} ${n.changed > 0}`),
      ['deployed true', 'already deployed false'],
    );
    assert.equal(await readVersionOn(0), versions.v2);
  });

  it('rebuilds the right file from a corrupt delta basis: what becomes current matches the build', async () => {
    const [first] = inventory.hosts;
    // A flipped byte in the executable the next delta starts from (the service stopped: a running
    // executable cannot be written to).
    await stopService(first!.container);
    await execOnNode(first!.container, [
      'python3',
      '-c',
      `f=open("${CURRENT}","r+b");f.seek(40000000);b=f.read(1);f.seek(40000000);f.write(bytes([b[0]^255]));f.close()`,
    ]);
    const reports = await deployTogether([
      { service: HELLO, artifactDir: artifacts.v3!, version: versions.v3 },
    ]);
    const rows = reports[HELLO]!.nodes;
    assert.equal(reports[HELLO]!.success, true, describeRows(rows));
    // rsync checks each rebuilt file as a whole and resends what did not match; the role then checks the
    // build's sha256 before the rename, and would send the whole file had the result differed.
    assert.match(
      rows[0]!.transfer,
      /^rsync delta against |^whole file \(the rsync result failed its checksum\)$/,
    );
    const expected = await hashFile(join(artifacts.v3!, 'bin', `${HELLO}-linux-x64`));
    for (const host of inventory.hosts) {
      const sum = await execOnNode(host.container, ['sha256sum', CURRENT]);
      assert.equal(sum.split(' ')[0], expected, `${host.name} runs what was built`);
    }
    assert.equal(await readVersionOn(0), versions.v3);
  });

  it('sends the whole file to a node without rsync and where rsync fails, and says which node got what', async () => {
    const [first, second] = inventory.hosts;
    // Node 1: an rsync that fails (as a broken or incompatible one would); node 2: no rsync at all.
    await execOnNode(first!.container, ['mv', '/usr/bin/rsync', '/usr/bin/rsync.edgeship-test']);
    await execOnNode(first!.container, [
      'sh',
      '-c',
      'printf "#!/bin/sh\\nexit 12\\n" >/usr/bin/rsync && chmod 755 /usr/bin/rsync',
    ]);
    await execOnNode(second!.container, ['mv', '/usr/bin/rsync', '/usr/bin/rsync.edgeship-test']);
    try {
      const reports = await deployTogether([
        { service: HELLO, artifactDir: artifacts.v4!, version: versions.v4 },
      ]);
      const rows = reports[HELLO]!.nodes;
      assert.equal(reports[HELLO]!.success, true, describeRows(rows));
      assert.match(rows[0]!.transfer, /^whole file \(rsync failed/);
      assert.equal(rows[1]!.transfer, 'whole file (no rsync on the node)');
      assert.equal(await readVersionOn(0), versions.v4);
      assert.equal(await readVersionOn(1), versions.v4);
    } finally {
      await execOnNode(first!.container, ['mv', '-f', '/usr/bin/rsync.edgeship-test', '/usr/bin/rsync']);
      await execOnNode(second!.container, ['mv', '-f', '/usr/bin/rsync.edgeship-test', '/usr/bin/rsync']);
    }
  });

  it('fails a release that throws at start, with the thrown message from the journal; the old one keeps serving', async () => {
    const before = await Promise.all(inventory.hosts.map((_, index) => readVersionOn(index)));
    const reports = await deployTogether([
      { service: HELLO, artifactDir: artifacts.throws!, version: versions.throws },
    ]);
    const report = reports[HELLO]!;
    assert.equal(report.success, false, describeRows(report.nodes));
    for (const [index, row] of report.nodes.entries()) {
      assert.deepEqual([row.health, row.action], ['failed', 'rolled back'], describeRows(report.nodes));
      // What the user sees in the report and the summary table: the cause, read from that node's journal.
      assert.ok(
        row.journal?.some((line) => line.includes(START_FAILURE_MESSAGE)),
        `${row.node}: ${JSON.stringify(row.journal)}`,
      );
      assert.equal(await readVersionOn(index), before[index]);
    }
  });

  it('keeps the last three releases, the one it replaced among them, and removes a cut-off upload', async () => {
    const releasesDir = `/opt/edgeship/${HELLO}/releases`;
    const currentRelease = async (container: string) =>
      (await execOnNode(container, ['readlink', `/opt/edgeship/${HELLO}/current`])).trim().split('/').pop()!;
    const replaced: string[] = [];
    for (const host of inventory.hosts) {
      replaced.push(await currentRelease(host.container));
      // What an upload cut off by a lost link leaves behind (edge_release_stage's staging directory).
      await execOnNode(host.container, ['mkdir', '-p', `${releasesDir}/.staging-1.0.0-cut-off`]);
    }
    const reports = await deployTogether([
      { service: HELLO, artifactDir: artifacts.v5!, version: versions.v5 },
    ]);
    assert.equal(reports[HELLO]!.success, true, describeRows(reports[HELLO]!.nodes));
    for (const [index, host] of inventory.hosts.entries()) {
      // edge_service_keep_releases (3) counts the current release and the one a rollback goes back to.
      const kept = (await execOnNode(host.container, ['ls', '-A', releasesDir])).split('\n').filter(Boolean);
      const current = await currentRelease(host.container);
      assert.ok(current.startsWith(`${versions.v5}-`), `${host.name} runs ${current}`);
      assert.equal(kept.length, 3, `${host.name} keeps ${kept.join(', ')}`);
      assert.ok(
        kept.includes(current) && kept.includes(replaced[index]!),
        `${host.name} keeps ${kept.join(', ')}`,
      );
    }
  });

  it('refuses a release modified on a node staged behind the canary: that node keeps serving, the report says why', async () => {
    const [canary, staged] = inventory.hosts;
    const sha256 = await hashFile(join(artifacts.v6!, 'bin', `${HELLO}-linux-x64`));
    const releaseDir = `/opt/edgeship/${HELLO}/releases/${versions.v6}-${sha256.slice(0, 12)}`;
    // The release's directory already on the second node, its executable not what was built.
    await execOnNode(staged!.container, ['mkdir', '-p', releaseDir]);
    await execOnNode(staged!.container, ['sh', '-c', `echo tampered > ${releaseDir}/${HELLO}`]);
    const before = await readVersionOn(1);
    try {
      // The default rollout: the canary in full, the other node staged during the canary's health gate.
      const reports = await deployTogether(
        [{ service: HELLO, artifactDir: artifacts.v6!, version: versions.v6 }],
        '1,100%',
      );
      const rows = reports[HELLO]!.nodes;
      assert.equal(reports[HELLO]!.success, false, describeRows(rows));
      assert.deepEqual(
        rows.map((n) => `${n.node} ${n.health} ${n.action}`),
        [`${canary!.name} healthy deployed`, `${staged!.name} failed failed`],
      );
      assert.match(rows[1]!.error!, /was modified on the node.*nothing was switched/s);
      assert.equal(await readVersionOn(0), versions.v6);
      assert.equal(await readVersionOn(1), before);
    } finally {
      await execOnNode(staged!.container, ['rm', '-rf', releaseDir]);
    }
  });
});
