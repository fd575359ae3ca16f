import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetDown, fleetUp, parseInventory, type FleetInventory } from '@edgeship/edge-fleet';
import { testFleetName } from '@edgeship/edge-common/testing';
import { withRenderedPage } from '../../../lib/report-html/test/chromium';
import { checkDeployPage, checkStatusPage } from '../../../lib/report-html/test/page-checks';
import { runCommand } from '@edgeship/edge-common';
import type { DeployReport } from '../../deploy/lib/print-summary';
import { contextFor, execOnNode, WORKSPACE_ROOT } from '../../deploy/test/fleet-helpers';
import { writeReleaseVariant } from '../../deploy/test/release-variants';
import { followLogs } from '../../logs/lib/follow-logs';
import { normalizeLogsOptions } from '../../logs/lib/normalize-logs-options';
import { readLogs } from '../../logs/lib/read-logs';
import { normalizeStatusOptions } from '../lib/normalize-status-options';
import { runStatus, type StatusReport } from '../lib/run-status';
import { deployVariant, statusCommand } from './day2-helpers';

/*
 * Day-2 operations on a real fleet of two amd64 systemd nodes: deploy v1 then v2, then `status` (the
 * workspace command, as a person runs it, and the executor's functions), the history on the nodes, `logs`
 * (last lines, --since, --follow), a failed deploy's records, and a fleet with one node down and one failed
 * unit, and the HTML pages of those deploys and statuses rendered in headless Chromium. One fleet for the file.
 * EDGESHIP_DAY2_TEST_INVENTORY reuses an amd64 fleet that is up (the fault test stops its second node).
 */
const HELLO = 'hello-edge';
const FLEET = testFleetName('day2');
const MINUTES = 60_000;
const UNIT = `edgeship-${HELLO}.service`;

let inventory: FleetInventory;
let workDir: string;
let versions: { v1: string; v2: string };
const releaseOf: Record<string, string> = {};

const statusOf = (limit?: string, history = 0): Promise<StatusReport> =>
  runStatus([normalizeStatusOptions({ inventory: inventory.path, limit, history }, contextFor(HELLO))]);

let variant: { workspaceRoot: string; service: string; archs: 'x64'[]; outDir: string };

async function deploy(version: string, artifactDir: string): Promise<number> {
  const deployed = await deployVariant(inventory.path, workDir, { service: HELLO, version, artifactDir });
  assert.equal(deployed.success, true, deployed.text);
  releaseOf[version] = deployed.release;
  return deployed.seconds;
}

describe('day-2 operations on a real amd64 fleet', { timeout: 40 * MINUTES }, () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-day2-spec-'));
    const fromEnv = process.env['EDGESHIP_DAY2_TEST_INVENTORY'];
    inventory = fromEnv
      ? parseInventory(fromEnv, await readFile(fromEnv, 'utf8'))
      : (await fleetUp({ name: FLEET, nodes: 2, arch: 'amd64' })).inventory;
    await runCommand('npx', ['nx', 'run', `${HELLO}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    // Unique per run: a reused fleet keeps releases and history.
    const run = Date.now();
    versions = { v1: `1.0.0-s1.${run}`, v2: `1.0.0-s2.${run}` };
    variant = { workspaceRoot: WORKSPACE_ROOT, service: HELLO, archs: ['x64'], outDir: workDir };
    const v1 = await writeReleaseVariant({ ...variant, version: versions.v1 });
    const v2 = await writeReleaseVariant({ ...variant, version: versions.v2 });
    await deploy(versions.v1, v1);
    await deploy(versions.v2, v2);
    // The no-op deploy, to put status's time next to it.
    const noop = await deploy(versions.v2, v2);
    console.log(`# timing: no-op deploy of ${HELLO} to 2 nodes ${noop.toFixed(1)} s`);
  });

  after(async () => {
    if (!process.env['EDGESHIP_DAY2_TEST_INVENTORY']) await fleetDown(FLEET).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it('status --json: v2 current and v1 kept on every node, unit active since a time, healthy; exit code 0', async () => {
    const run = await statusCommand(['--inventory', inventory.path, '--json', '--projects', HELLO]);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    const report = JSON.parse(run.stdout) as StatusReport;
    assert.deepEqual(
      report.rows.map((row) => row.node),
      inventory.hosts.map((host) => host.name),
    );
    for (const row of report.rows) {
      assert.equal(row.version, versions.v2, JSON.stringify(row));
      assert.equal(row.release, releaseOf[versions.v2]);
      assert.ok(row.kept.includes(releaseOf[versions.v1]!), `${row.node} keeps ${row.kept}`);
      assert.equal(row.unit, 'active');
      assert.equal(row.health, 'healthy');
      assert.equal(row.delivery, 'binary');
      assert.equal(row.arch, 'amd64');
      assert.ok(Date.now() - Date.parse(row.since) < 30 * MINUTES, `since ${row.since}`);
      assert.equal(row.lastDeploy?.to, releaseOf[versions.v2]);
      assert.equal(row.lastDeploy?.outcome, 'healthy');
    }
  });

  it('history: both deploys on each node, when, who, from which release to which, outcome', async () => {
    const report = await statusOf(undefined, 5);
    const { username } = (await import('node:os')).userInfo();
    for (const row of report.rows) {
      const v1 = releaseOf[versions.v1]!;
      const v2 = releaseOf[versions.v2]!;
      const mine = row.history.slice(row.history.findIndex((record) => record.to === v1));
      // The no-op deploy after v2 found it in place: it switched nothing and recorded nothing.
      assert.deepEqual(
        mine.map((record) => [record.action, record.to, record.outcome]),
        [
          ['deploy', v1, 'healthy'],
          ['deploy', v2, 'healthy'],
        ],
        JSON.stringify(row.history),
      );
      assert.equal(mine[1]!.from, v1);
      assert.notEqual(mine[0]!.from, v2);
      for (const record of mine) {
        assert.match(record.by!, new RegExp(`^${username}@\\S+$`));
        assert.ok(Math.abs(Date.now() - Date.parse(record.at)) < 30 * MINUTES, record.at);
      }
    }
  });

  it('status of every service is one run: a service never deployed is "not installed", not a failure', async () => {
    const run = await statusCommand(['--inventory', inventory.path, '--json']);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    const rows = (JSON.parse(run.stdout) as StatusReport).rows;
    const gateway = rows.filter((row) => row.service === 'telemetry-gateway');
    assert.equal(gateway.length, inventory.hosts.length);
    for (const row of gateway) assert.equal(row.health, 'not installed');
  });

  it('times status on 1 and 2 nodes', async () => {
    const one = await statusOf(inventory.hosts[0]!.name);
    const two = await statusOf();
    assert.equal(one.rows.length, 1);
    assert.equal(two.rows.length, 2);
    console.log(
      `# timing: status on 1 node ${one.seconds.toFixed(1)} s, on 2 nodes ${two.seconds.toFixed(1)} s`,
    );
  });

  it('logs: the lines the service wrote, from each node, and --since passes through to journalctl', async () => {
    const context = contextFor(HELLO);
    const logs = await readLogs(normalizeLogsOptions({ inventory: inventory.path, lines: 200 }, context));
    assert.deepEqual(
      logs.map((entry) => entry.node),
      inventory.hosts.map((host) => host.name),
    );
    for (const entry of logs) {
      assert.equal(entry.error, undefined);
      // service-kit's line when the release started listening, with the version deployed.
      const listening = entry.lines.filter((line) => line.includes('"msg":"listening"'));
      assert.ok(
        listening.some((line) => line.includes(`"version":"${versions.v2}"`)),
        entry.lines.join('\n'),
      );
    }
    // A restart on the first node only: --since the moment before shows its new lines there, none on the other.
    const since = `@${Math.floor(Date.now() / 1000)}`;
    await new Promise((done) => setTimeout(done, 1100));
    await execOnNode(inventory.hosts[0]!.container, ['systemctl', 'restart', UNIT]);
    await new Promise((done) => setTimeout(done, 3000));
    const recent = await readLogs(normalizeLogsOptions({ inventory: inventory.path, since }, context));
    assert.ok(
      recent[0]!.lines.some((line) => line.includes('listening')),
      recent[0]!.lines.join('\n'),
    );
    assert.ok(!recent[1]!.lines.some((line) => line.includes('listening')), recent[1]!.lines.join('\n'));
  });

  it('logs --follow: lines as the service writes them, each with its node, until stopped', async () => {
    const stop = new AbortController();
    const seen: string[] = [];
    const first = inventory.hosts[0]!;
    const following = followLogs(
      normalizeLogsOptions({ inventory: inventory.path, lines: 1, follow: true }, contextFor(HELLO)),
      (node, line) => seen.push(`${node} ${line}`),
      stop.signal,
    );
    // Let both streams start, then make the service on the first node write.
    await new Promise((done) => setTimeout(done, 5000));
    const before = seen.length;
    await execOnNode(first.container, ['systemctl', 'restart', UNIT]);
    const deadline = Date.now() + 60_000;
    while (
      !seen.slice(before).some((line) => line.startsWith(`${first.name} `) && line.includes('listening'))
    ) {
      assert.ok(Date.now() < deadline, `no new line from ${first.name}:\n${seen.join('\n')}`);
      await new Promise((done) => setTimeout(done, 500));
    }
    stop.abort();
    const ended = await following;
    assert.deepEqual(
      ended.map((entry) => entry.error),
      inventory.hosts.map(() => undefined),
    );
  });

  it('a failed deploy leaves two records per node: the deploy, unhealthy and why; the rollback, healthy', async () => {
    const version = `${versions.v2}-broken`;
    const artifactDir = await writeReleaseVariant({ ...variant, version, fault: 'throws-at-start' });
    const failed = await deployVariant(inventory.path, workDir, {
      ...{ service: HELLO, version, artifactDir, healthTimeout: 10 },
    });
    assert.equal(failed.success, false, failed.text);
    const v2 = releaseOf[versions.v2]!;
    for (const row of (await statusOf(undefined, 2)).rows) {
      assert.equal(row.release, v2, `${row.node} runs v2 again`);
      const [deployed, rolledBack] = row.history;
      // Recorded by the deploy's gate (unhealthy) or, when the unit did not even start, by the rollback's (failed).
      assert.deepEqual([deployed!.action, deployed!.from, deployed!.to], ['deploy', v2, failed.release]);
      assert.match(deployed!.outcome, /^(unhealthy|failed)$/);
      assert.ok(deployed!.error, JSON.stringify(deployed));
      assert.deepEqual(
        [rolledBack!.action, rolledBack!.from, rolledBack!.to, rolledBack!.outcome],
        ['rollback', failed.release, v2, 'healthy'],
      );
      assert.equal(row.lastDeploy, rolledBack);
    }
  });

  it('the deploy page of a real rollout in Chromium: steps and gates per node, a failed gate shown failed', async () => {
    const pageOf = async (version: string) => {
      const report = JSON.parse(await readFile(join(workDir, `${version}.json`), 'utf8')) as DeployReport;
      await withRenderedPage(join(workDir, `${version}.html`), (page) => checkDeployPage(page, report));
      return report;
    };
    // v1: the whole role on every node, its gate passed.
    for (const node of (await pageOf(versions.v1)).nodes) {
      assert.deepEqual(
        // prune shows only where a release was old enough to go.
        node.steps!.map((step) => step.step).filter((step) => step !== 'prune'),
        ['probe', 'check', 'preflight', 'install', 'switch', 'health gate'],
      );
      assert.deepEqual(
        node.gates!.map((gate) => [gate.gate, gate.passed]),
        [['deploy', true]],
      );
    }
    // v2 again: found in place, the probe and the check only.
    for (const node of (await pageOf(versions.v2)).nodes)
      assert.deepEqual(
        node.steps!.map((step) => [step.step, step.outcome]),
        [
          ['probe', 'ok'],
          ['check', 'ok'],
        ],
      );
    // A release that answers 503 on /healthz: the gate fails on each node, which rolls back to v2.
    const version = `${versions.v2}-unhealthy`;
    const artifactDir = await writeReleaseVariant({ ...variant, version, fault: 'unhealthy-healthz' });
    const failed = await deployVariant(inventory.path, workDir, {
      ...{ service: HELLO, version, artifactDir, healthTimeout: 5 },
    });
    assert.equal(failed.success, false, failed.text);
    const report = await pageOf(version);
    assert.deepEqual(
      report.nodes.map((node) => node.node),
      inventory.hosts.map((host) => host.name),
    );
    for (const node of report.nodes) {
      assert.equal(node.health, 'failed');
      assert.deepEqual(
        node.gates!.map((gate) => [gate.gate, gate.passed]),
        [
          ['deploy', false],
          ['rollback', true],
        ],
      );
      assert.match(node.gates![0]!.message!, /\/healthz answered 503/);
      assert.equal(node.steps!.find((step) => step.step === 'health gate')!.outcome, 'failed');
    }
  });

  it('status with one node down and one unit failed: both shown as such, exit code 1', async () => {
    const [first, second] = inventory.hosts;
    // A crash the unit cannot recover from: the executable is gone, so systemd's restarts fail until its limit.
    await execOnNode(first!.container, [
      'sh',
      '-c',
      `mv /opt/edgeship/${HELLO}/current/${HELLO} /opt/edgeship/${HELLO}/current/${HELLO}.off`,
    ]);
    await execOnNode(first!.container, ['systemctl', 'kill', '--signal=SIGKILL', UNIT]);
    const deadline = Date.now() + 2 * MINUTES;
    for (;;) {
      const state = (
        await runCommand('docker', ['exec', first!.container, 'systemctl', 'is-active', UNIT], {
          check: false,
        })
      ).stdout;
      if (state === 'failed') break;
      assert.ok(Date.now() < deadline, `${UNIT} is ${state}, not failed`);
      await new Promise((done) => setTimeout(done, 1000));
    }
    await runCommand('docker', ['stop', '--time', '5', second!.container]);
    const run = await statusCommand(['--inventory', inventory.path, '--projects', HELLO]);
    assert.equal(run.exitCode, 1, run.stdout);
    const json = await statusCommand(['--inventory', inventory.path, '--projects', HELLO, '--json']);
    assert.equal(json.exitCode, 1);
    const rows = (JSON.parse(json.stdout) as StatusReport).rows;
    const failed = rows.find((row) => row.node === first!.name)!;
    const down = rows.find((row) => row.node === second!.name)!;
    assert.equal(failed.unit, 'failed');
    assert.equal(failed.problem, 'unit failed');
    assert.equal(failed.release, releaseOf[versions.v2], 'a failed unit still shows its release');
    assert.equal(down.unit, 'unreachable');
    assert.match(down.problem!, /unreachable: .*(ssh|connect|Connection)/i);
    // The page names both, as the table does.
    const page = join(workDir, 'status.html');
    const html = await statusCommand(['--inventory', inventory.path, '--projects', HELLO, '--html', page]);
    assert.equal(html.exitCode, 1);
    await withRenderedPage(page, async (shown) => {
      await checkStatusPage(shown, { ...(JSON.parse(json.stdout) as StatusReport), seconds: 0 });
      assert.match(shown.text, new RegExp(`${second!.name}: unreachable`));
      assert.match(shown.text, /need attention/);
    });
    // The table a person reads names both.
    assert.match(run.stdout, new RegExp(`${first!.name}\\s+${HELLO}.*failed`));
    assert.match(run.stdout + run.stderr, new RegExp(`${HELLO} on ${second!.name}: unreachable`));
  });
});
