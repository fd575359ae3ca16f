import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetDown, fleetUp, parseInventory, type FleetInventory } from '@edgeship/edge-fleet';
import { testFleetName, captureOutput } from '@edgeship/edge-common/testing';
import { readBuildRecord, writeSignedRecordFile } from '../../../lib/build-record';
import { runCommand } from '@edgeship/edge-common';
import deployExecutor from '../../deploy/deploy.impl';
import { contextFor, execOnNode, getJson, readReport, WORKSPACE_ROOT } from '../../deploy/test/fleet-helpers';
import { writeReleaseVariant } from '../../deploy/test/release-variants';
import { deployVariant } from '../../status/test/day2-helpers';
import { describeRun, rollbackCommand, statusRows } from './rollback-helpers';

/*
 * `rollback` on a real fleet of two amd64 systemd nodes with podman, through `npm run rollback` as a person runs
 * it: back to the previous release and to a named one, the refusals (nothing to go back to, an unknown --to)
 * that change nothing, a kept release that fails its gate (rolled forward again), and rollbacks across a change
 * of delivery in both directions (telemetry-gateway as an executable and as an image). One fleet for the file.
 * EDGESHIP_ROLLBACK_TEST_INVENTORY reuses an amd64 fleet that is up.
 */
const HELLO = 'hello-edge';
const GATEWAY = 'telemetry-gateway';
const FLEET = testFleetName('rb');
const MINUTES = 60_000;

let inventory: FleetInventory;
let workDir: string;
let versions: { v1: string; v2: string; broken: string };
const releaseOf: Record<string, string> = {};
let variant: { workspaceRoot: string; service: string; archs: 'x64'[]; outDir: string };

async function deploy(version: string, artifactDir: string): Promise<void> {
  const deployed = await deployVariant(inventory.path, workDir, { service: HELLO, version, artifactDir });
  assert.equal(deployed.success, true, deployed.text);
  releaseOf[version] = deployed.release;
}

/** `npm run rollback -- --json` of one service on the fleet, quick gates. */
const rollback = (service: string, ...args: string[]) =>
  rollbackCommand([
    ...['--inventory', inventory.path, '--projects', service, '--json', '--health-timeout', '30'],
    // The test's own builds went out unsigned (allowUnsigned): the local fleet takes them back, in CI too.
    '--allow-unsigned',
    ...args,
  ]);

async function readVersions(port: number): Promise<string[]> {
  return Promise.all(
    inventory.hosts.map(
      async (host) => (await getJson(host.publishedPorts.get(port)!, '/version')).body.version,
    ),
  );
}

describe('rollback on a real amd64 fleet', { timeout: 60 * MINUTES }, () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-rollback-spec-'));
    const fromEnv = process.env['EDGESHIP_ROLLBACK_TEST_INVENTORY'];
    inventory = fromEnv
      ? parseInventory(fromEnv, await readFile(fromEnv, 'utf8'))
      : (await fleetUp({ name: FLEET, nodes: 2, arch: 'amd64' })).inventory;
    await runCommand('npx', ['nx', 'run', `${HELLO}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    // Unique per run: a reused fleet keeps releases and history.
    const run = Date.now();
    versions = { v1: `1.0.0-r1.${run}`, v2: `1.0.0-r2.${run}`, broken: `1.0.0-r3.${run}` };
    variant = { workspaceRoot: WORKSPACE_ROOT, service: HELLO, archs: ['x64'], outDir: workDir };
    await deploy(versions.v1, await writeReleaseVariant({ ...variant, version: versions.v1 }));
    await deploy(versions.v2, await writeReleaseVariant({ ...variant, version: versions.v2 }));
  });

  after(async () => {
    if (!process.env['EDGESHIP_ROLLBACK_TEST_INVENTORY']) await fleetDown(FLEET).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it('rollback: every node serves v1 again; status --json shows v1 current and v2 kept; history records it', async () => {
    const run = await rollback(HELLO);
    assert.equal(run.exitCode, 0, describeRun(run));
    const [v1, v2] = [releaseOf[versions.v1]!, releaseOf[versions.v2]!];
    assert.deepEqual(
      run.report!.rows.map((row) => [row.node, row.from, row.to, row.health, row.action]),
      inventory.hosts.map((host) => [host.name, v2, v1, 'healthy', 'rolled back']),
    );
    assert.deepEqual(await readVersions(8101), [versions.v1, versions.v1]);
    for (const row of await statusRows(inventory.path, HELLO)) {
      assert.equal(row.version, versions.v1, JSON.stringify(row));
      assert.equal(row.release, v1);
      assert.ok(row.kept.includes(v2), `${row.node} keeps ${row.kept}`);
      assert.equal(row.health, 'healthy');
      const last = row.history.at(-1)!;
      assert.deepEqual([last.action, last.from, last.to, last.outcome], ['rollback', v2, v1, 'healthy']);
      assert.match(last.by!, /^\S+@\S+$/);
    }
  });

  it('rollback with nothing older to go back to: refused, naming each node and what it keeps; nothing changed', async () => {
    const before = await statusRows(inventory.path, HELLO);
    const run = await rollback(HELLO);
    assert.equal(run.exitCode, 1, describeRun(run));
    const [v1, v2] = [releaseOf[versions.v1]!, releaseOf[versions.v2]!];
    assert.deepEqual(
      run.report!.refused.map((refusal) => refusal.node),
      inventory.hosts.map((host) => host.name),
    );
    for (const refusal of run.report!.refused) {
      assert.match(refusal.reason, new RegExp(`^nothing to roll back to on ${refusal.node}: it keeps `));
      assert.ok(refusal.reason.includes(`${v1} (current)`) && refusal.reason.includes(v2), refusal.reason);
    }
    // The table a person reads names them too.
    const table = await rollbackCommand(['--inventory', inventory.path, '--projects', HELLO]);
    assert.equal(table.exitCode, 1);
    assert.match(
      table.stderr,
      new RegExp(`${HELLO} on ${inventory.hosts[0]!.name}: nothing to roll back to`),
    );
    assert.match(table.stderr, /nothing was changed/);
    assert.deepEqual(await statusRows(inventory.path, HELLO), before);
  });

  it('--to a release no node keeps: refused, naming the kept ones; nothing changed', async () => {
    const historyBefore = (await statusRows(inventory.path, HELLO)).map((row) => row.history);
    const run = await rollback(HELLO, '--to', '9.9.9');
    assert.equal(run.exitCode, 1, describeRun(run));
    for (const refusal of run.report!.refused) {
      assert.match(
        refusal.reason,
        new RegExp(`^${refusal.node} keeps no release 9\\.9\\.9 of ${HELLO}; it keeps `),
      );
      assert.ok(refusal.reason.includes(releaseOf[versions.v2]!), refusal.reason);
    }
    const after = await statusRows(inventory.path, HELLO);
    assert.deepEqual(
      after.map((row) => [row.release, row.history]),
      historyBefore.map((history) => [releaseOf[versions.v1], history]),
    );
  });

  it('--to a kept version goes forward to it; a plain rollback then steps back to what v2 replaced', async () => {
    const forward = await rollback(HELLO, '--to', versions.v2);
    assert.equal(forward.exitCode, 0, describeRun(forward));
    assert.deepEqual(await readVersions(8101), [versions.v2, versions.v2]);
    // Again: the nodes already run it, healthy; nothing is switched (a rerun converges).
    const again = await rollback(HELLO, '--to', releaseOf[versions.v2]!);
    assert.equal(again.exitCode, 0, describeRun(again));
    assert.deepEqual(
      again.report!.rows.map((row) => row.action),
      inventory.hosts.map(() => 'already running'),
    );
    const back = await rollback(HELLO);
    assert.equal(back.exitCode, 0, describeRun(back));
    assert.deepEqual(await readVersions(8101), [versions.v1, versions.v1]);
  });

  it('a kept release that fails its gate on the canary: rolled forward again, the rest not reached, exit 1', async () => {
    const artifactDir = await writeReleaseVariant({
      ...variant,
      version: versions.broken,
      fault: 'throws-at-start',
    });
    const failed = await deployVariant(inventory.path, workDir, {
      ...{ service: HELLO, version: versions.broken, artifactDir, healthTimeout: 10 },
    });
    assert.equal(failed.success, false, failed.text);
    const run = await rollback(HELLO, '--to', versions.broken, '--health-timeout', '10');
    assert.equal(run.exitCode, 1, describeRun(run));
    const [canary, rest] = run.report!.rows;
    assert.deepEqual([canary!.health, canary!.action], ['failed', 'rolled forward'], JSON.stringify(canary));
    assert.match(canary!.error!, new RegExp(`rolled forward to ${releaseOf[versions.v1]}, which is healthy`));
    assert.equal(rest!.health, 'not reached');
    assert.deepEqual(await readVersions(8101), [versions.v1, versions.v1]);
    const [first] = await statusRows(inventory.path, HELLO);
    const [switched, forward] = first!.history.slice(-2);
    assert.deepEqual([switched!.action, switched!.to], ['rollback', failed.release]);
    assert.match(switched!.outcome, /^(unhealthy|failed)$/);
    assert.deepEqual(
      [forward!.action, forward!.from, forward!.to, forward!.outcome],
      ['roll forward', failed.release, releaseOf[versions.v1], 'healthy'],
    );
  });

  describe('across a change of delivery (telemetry-gateway: executable and image, podman on the nodes)', () => {
    let artifactDir: string;

    /** A deploy of the gateway's executable ('binary') or image (its marker's delivery); its release id. */
    async function deployGateway(delivery?: 'binary', failing?: { version: string }): Promise<string> {
      const report = join(workDir, 'gateway.json');
      const options = {
        ...(delivery ? { delivery } : {}),
        ...{ inventory: inventory.path, artifactDir, report, healthTimeout: 60, stabilityWindow: 2 },
        // Unsigned builds of the test's own: the local fleet accepts them when told so, in CI too.
        allowUnsigned: true,
        // A version the build does not report: /version never matches, so the gate fails and the deploy rolls back.
        ...(failing ? { version: failing.version, healthTimeout: 8 } : {}),
      };
      const { result, output } = await captureOutput(() => deployExecutor(options, contextFor(GATEWAY)));
      const { nodes } = await readReport(report);
      assert.equal(result.success, !failing, output);
      return nodes[0]!.release;
    }

    /** Healthy and served on the port, with the socket unit a binary release needs and a container must not have. */
    async function assertServes(delivery: 'binary' | 'container', release: string): Promise<void> {
      const socket = `edgeship-${GATEWAY}.socket`;
      for (const host of inventory.hosts) {
        assert.equal((await getJson(host.publishedPorts.get(8102)!, '/healthz')).status, 200);
        assert.equal((await getJson(host.publishedPorts.get(8102)!, '/version')).body.name, GATEWAY);
        const units = await execOnNode(host.container, ['ls', '/etc/systemd/system']);
        assert.equal(units.includes(socket), delivery === 'binary', units);
        const state = await runCommand('docker', ['exec', host.container, 'systemctl', 'is-active', socket], {
          check: false,
        });
        assert.equal(state.stdout.trim(), delivery === 'binary' ? 'active' : 'inactive');
      }
      for (const row of await statusRows(inventory.path, GATEWAY, 1)) {
        assert.deepEqual([row.release, row.delivery, row.health], [release, delivery, 'healthy']);
      }
    }

    before(async () => {
      await runCommand('npx', ['nx', 'run', `${GATEWAY}:image`], { cwd: WORKSPACE_ROOT, stream: true });
      artifactDir = join(workDir, 'gateway');
      for (const kind of ['image', 'bin'])
        await cp(join(WORKSPACE_ROOT, 'dist', GATEWAY, kind), join(artifactDir, kind), { recursive: true });
    });

    it('binary → container, then rollback: the executable again, its socket unit back, healthy, port served', async () => {
      const binary = await deployGateway('binary');
      const container = await deployGateway();
      await assertServes('container', container);
      const run = await rollback(GATEWAY);
      assert.equal(run.exitCode, 0, describeRun(run));
      assert.deepEqual(
        run.report!.rows.map((row) => [row.from, row.to, row.delivery, row.health]),
        inventory.hosts.map(() => [container, binary, 'binary', 'healthy']),
      );
      await assertServes('binary', binary);
    });

    it('container → binary, then rollback: the image again, the socket unit gone, healthy, port served', async () => {
      const container = await deployGateway();
      const binary = await deployGateway('binary');
      await assertServes('binary', binary);
      const run = await rollback(GATEWAY);
      assert.equal(run.exitCode, 0, describeRun(run));
      assert.deepEqual(
        run.report!.rows.map((row) => [row.from, row.to, row.delivery, row.health]),
        inventory.hosts.map(() => [binary, container, 'container', 'healthy']),
      );
      await assertServes('container', container);
    });

    it("a deploy across a change of delivery that fails its gate: the deploy's own rollback leaves the node serving", async () => {
      // The node runs the image: a failing executable's socket unit must not keep the port from the container.
      const container = (await statusRows(inventory.path, GATEWAY, 1))[0]!.release;
      await deployGateway('binary', { version: '9.9.9-bad-binary' });
      await assertServes('container', container);
      // The node runs the executable: a failing image must not leave it without the socket unit it Requires=.
      const back = await rollback(GATEWAY);
      assert.equal(back.exitCode, 0, describeRun(back));
      const binary = back.report!.rows[0]!.to;
      await deployGateway(undefined, { version: '9.9.9-bad-image' });
      await assertServes('binary', binary);
    });
  });

  it('a rollback interrupted by a node killed mid-switch: after restart it runs one complete release; a rerun converges', async () => {
    const canary = inventory.hosts[0]!;
    const link = `/opt/edgeship/${HELLO}/current`;
    const readCurrent = () => execOnNode(canary.container, ['readlink', link]).then((text) => text.trim());
    const from = await readCurrent();
    const running = rollback(HELLO, '--to', versions.v2, '--health-timeout', '20');
    // Killed the moment the canary's link switches, while its unit restarts (or after 30 s, wherever it is).
    const deadline = Date.now() + 30_000;
    while ((await readCurrent().catch(() => from)) === from && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 100));
    await runCommand('docker', ['kill', canary.container]);
    const interrupted = await running;
    assert.equal(interrupted.exitCode, 1, describeRun(interrupted));
    await runCommand('docker', ['start', canary.container]);
    // Booted again: whatever `current` names is complete, and it is what the unit runs.
    const until = Date.now() + 2 * MINUTES;
    for (;;) {
      const current = await readCurrent().catch(() => '');
      const env = await execOnNode(canary.container, ['cat', `${link}/release.env`]).catch(() => '');
      const version = /^EDGESHIP_VERSION=(.*)$/m.exec(env)?.[1];
      const served = await getJson(canary.publishedPorts.get(8101)!, '/version').catch(() => undefined);
      if (current && version && served?.body?.version === version) break;
      assert.ok(
        Date.now() < until,
        `${canary.name} after restart: current ${current}, serves ${served?.body?.version}`,
      );
      await new Promise((done) => setTimeout(done, 1000));
    }
    const rerun = await rollback(HELLO, '--to', versions.v2);
    assert.equal(rerun.exitCode, 0, describeRun(rerun));
    assert.deepEqual(await readVersions(8101), [versions.v2, versions.v2]);
  });

  it('a kept release whose signed build record no longer verifies: refused before any node changes; the control rolls back', async () => {
    // The project's release key, made here as CI would hold it, and the anchor deploy and rollback verify with.
    const keys = join(workDir, 'trust');
    await mkdir(keys);
    await runCommand('cosign', ['generate-key-pair', `--output-key-prefix=${join(keys, 'cosign')}`], {
      env: { ...process.env, COSIGN_PASSWORD: '' },
    });
    const signedVariant = async (version: string) => {
      const dir = await writeReleaseVariant({ ...variant, version });
      const file = await writeSignedRecordFile(dir, readBuildRecord(dir)!);
      await runCommand(
        'cosign',
        [
          'sign-blob',
          `--key=${join(keys, 'cosign.key')}`,
          '--tlog-upload=false',
          '--yes',
          `--output-signature=${file}.sig`,
          file,
        ],
        { env: { ...process.env, COSIGN_PASSWORD: '' } },
      );
      return dir;
    };
    const run = Date.now();
    const [s1, s2] = [`1.0.0-t1.${run}`, `1.0.0-t2.${run}`];
    process.env['EDGESHIP_TRUST_ANCHOR'] = join(keys, 'cosign.pub');
    try {
      const s1Dir = await signedVariant(s1);
      await deploy(s1, s1Dir);
      await deploy(s2, await signedVariant(s2));
      // The deploy kept the verified record with the release; on one node its signature is now another's.
      const canary = inventory.hosts[0]!;
      const kept = `/opt/edgeship/${HELLO}/releases/${releaseOf[s1]}`;
      await execOnNode(canary.container, ['test', '-s', `${kept}/build.json`]);
      const forged =
        'MEUCIQDq0yNqQ5o6k2x9m0Jw1Qz3s2bq0l1o9Vq1m2n3b4v5cwIgUu0W1k2m3n4b5v6c7x8z9a0s1d2f3g4h5j6k7l8q9w0e1r2=';
      await execOnNode(canary.container, ['sh', '-c', `printf %s '${forged}' > ${kept}/build.json.sig`]);
      const refused = await rollback(HELLO, '--to', s1);
      assert.equal(refused.exitCode, 1, describeRun(refused));
      assert.match(
        refused.report!.refused.map((r) => r.reason).join('\n'),
        new RegExp(
          `${canary.name}: release ${releaseOf[s1]} has a build record whose signature no longer verifies`,
        ),
      );
      assert.deepEqual(await readVersions(8101), [s2, s2], 'no node changed');
      // The control: the signature the deploy kept, put back, verifies, and the same rollback goes through.
      await runCommand('docker', [
        'cp',
        join(s1Dir, 'build.json.sig'),
        `${canary.container}:${kept}/build.json.sig`,
      ]);
      const back = await rollback(HELLO, '--to', s1);
      assert.equal(back.exitCode, 0, describeRun(back));
      assert.deepEqual(await readVersions(8101), [s1, s1]);
    } finally {
      delete process.env['EDGESHIP_TRUST_ANCHOR'];
    }
  });
});
