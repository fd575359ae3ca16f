import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetDown, fleetUp, readFleetGateway, type FleetInventory } from '@edgeship/edge-fleet';
import { runCommand } from '@edgeship/edge-common';
import { testFleetName } from '@edgeship/edge-common/testing';
import { readBuildRecord, SIGNED_RECORD, writeSignedRecordFile } from '../../build-record';
import type { TrustAnchor } from '../../trust-anchor';
import { signBlob } from '../../../executors/release/lib/signing';
import { execOnNode, getJson, WORKSPACE_ROOT } from '../../../executors/deploy/test/fleet-helpers';
import { writeReleaseVariant } from '../../../executors/deploy/test/release-variants';
import { deployVariant, statusCommand } from '../../../executors/status/test/day2-helpers';
import type { PullReport, StatusRow } from '../../../executors/status/lib/status-rows';
import { enrollNodes } from '../enroll-nodes';
import { publishToChannel } from '../publish-to-channel';
import { serveChannel, type ChannelServer } from '../serve-channel';

/*
 * Pull mode on a real amd64 systemd node (the architecture does not matter here) whose inbound SSH is closed:
 * hello-edge deployed once by push, the node enrolled (playbooks/pull.yml), sshd stopped; from then on every
 * release reaches it only through its own timer, from a channel served on the fleet network's gateway. A signed
 * release is taken, health-gated; a tampered, unsigned or foreign-key record is refused and the node keeps its
 * release; a release that fails its gate is rolled back. `npm run status --pull-reports` shows the node from its
 * report. One node, one fleet for the file.
 */
const HELLO = 'hello-edge';
const FLEET = testFleetName('pull');
const MINUTES = 60_000;

let inventory: FleetInventory;
let workDir: string;
let channelDir: string;
let channel: ChannelServer;
let anchor: TrustAnchor;
let node: string;
let container: string;
let port: number;
let badEnrollment: Error | undefined;
let leftByBadEnrollment: string;
const versions: Record<'v1' | 'v2' | 'v3' | 'broken', string> = { v1: '', v2: '', v3: '', broken: '' };
const artifacts: Record<string, string> = {};

/** A cosign key pair of the test's own (empty password), as a project's release key. */
async function makeKeyPair(dir: string): Promise<{ privateKey: string; publicKey: string }> {
  await mkdir(dir, { recursive: true });
  await runCommand('cosign', ['generate-key-pair', '--output-key-prefix', join(dir, 'cosign')], {
    cwd: dir,
    env: { ...process.env, COSIGN_PASSWORD: '' },
  });
  return { privateKey: join(dir, 'cosign.key'), publicKey: join(dir, 'cosign.pub') };
}

/** build.json of the variant's build record, signed with keys: what `release` leaves in dist/<svc>. */
async function signVariant(dir: string, keys: { privateKey: string; publicKey: string }): Promise<void> {
  const record = readBuildRecord(dir)!;
  const file = await writeSignedRecordFile(dir, record);
  await signBlob({ ...keys, isNew: false }, file, '');
}

async function publish(version: string): Promise<void> {
  await publishToChannel({ distDir: artifacts[version]!, shownDir: version, channelDir, anchor });
}

/**
 * Puts a record into the channel as publishToChannel does (signature, then record, each by a rename), without
 * its checks: what a compromised or broken channel serves. Every state in between is refused by the node too.
 */
async function serveRecord(record: string, signature?: string): Promise<void> {
  const dir = join(channelDir, HELLO);
  if (signature === undefined) await unlink(join(dir, 'build.json.sig')).catch(() => undefined);
  else await writeThenRename(join(dir, 'build.json.sig'), signature);
  await writeThenRename(join(dir, SIGNED_RECORD), record);
}

async function writeThenRename(file: string, text: string): Promise<void> {
  await writeFile(`${file}.test`, text);
  await rename(`${file}.test`, file);
}

async function readNodeReport(): Promise<PullReport | undefined> {
  const text = await readFile(join(channelDir, 'reports', `${node}.json`), 'utf8').catch(() => '');
  return text ? (JSON.parse(text) as PullReport) : undefined;
}

/**
 * Waits until the node's own timer has pulled and reported an outcome that passes `wanted` (the test never runs
 * the agent itself); the report is removed first, so an earlier one cannot pass.
 */
async function waitForPull(wanted: (pull: PullReport['pulls'][string]) => boolean): Promise<PullReport> {
  await unlink(join(channelDir, 'reports', `${node}.json`)).catch(() => undefined);
  const deadline = Date.now() + 3 * MINUTES;
  let last: PullReport | undefined;
  while (Date.now() < deadline) {
    last = (await readNodeReport()) ?? last;
    const pull = last?.pulls?.[HELLO];
    if (pull && wanted(pull)) return last!;
    if (pull) await unlink(join(channelDir, 'reports', `${node}.json`)).catch(() => undefined);
    await new Promise((done) => setTimeout(done, 1000));
  }
  const journal = await execOnNode(container, [
    'journalctl',
    '-u',
    'edgeship-pull.service',
    '-n',
    '30',
    '--no-pager',
  ]);
  assert.fail(`no wanted pull within 3 min; last report: ${JSON.stringify(last?.pulls)}\n${journal}`);
}

async function servedVersion(): Promise<string> {
  return (await getJson(port, '/version')).body.version;
}

async function lastHistory(): Promise<Record<string, string>[]> {
  const text = await execOnNode(container, ['cat', `/opt/edgeship/${HELLO}/history.jsonl`]);
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, string>);
}

describe('pull mode on a real amd64 node with its inbound SSH closed', { timeout: 40 * MINUTES }, () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-pull-spec-'));
    channelDir = join(workDir, 'channel');
    inventory = (await fleetUp({ name: FLEET, nodes: 1, arch: 'amd64' })).inventory;
    const host = inventory.hosts[0]!;
    node = host.name;
    container = host.container;
    port = host.publishedPorts.get(8101)!;
    await runCommand('npx', ['nx', 'run', `${HELLO}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    const run = Date.now();
    const keys = await makeKeyPair(join(workDir, 'keys'));
    anchor = { file: keys.publicKey, source: 'the test key', isDevelopment: false };
    const variant = {
      workspaceRoot: WORKSPACE_ROOT,
      service: HELLO,
      archs: ['x64' as const],
      outDir: workDir,
    };
    for (const name of ['v1', 'v2', 'v3', 'broken'] as const) {
      versions[name] = `1.0.0-pull${name}.${run}`;
      const fault = name === 'broken' ? ('unhealthy-healthz' as const) : undefined;
      artifacts[name] = await writeReleaseVariant({ ...variant, version: versions[name], fault });
      // v1 goes out by push, unsigned (the local fleet's allowUnsigned); what is pulled is signed.
      if (name !== 'v1') await signVariant(artifacts[name], keys);
    }
    const deployed = await deployVariant(inventory.path, workDir, {
      service: HELLO,
      version: versions.v1,
      artifactDir: artifacts.v1!,
    });
    assert.equal(deployed.success, true, deployed.text);
    channel = await serveChannel(channelDir, await readFleetGateway(FLEET));
    const enrollment = {
      workspaceRoot: WORKSPACE_ROOT,
      inventory: inventory.path,
      hosts: 'edge',
      channel: channel.url,
      services: [{ name: HELLO, port: 8101 }],
      verbose: false,
      env: { ...process.env, EDGESHIP_TRUST_ANCHOR: keys.publicKey },
    };
    // Bad input first, while SSH still reaches the node: refused by the role's preflight, nothing installed.
    badEnrollment = await enrollNodes({ ...enrollment, interval: 'soon; rm -rf /' }).then(
      () => undefined,
      (error: Error) => error,
    );
    leftByBadEnrollment = (
      await runCommand('docker', ['exec', container, 'ls', '/etc/edgeship', '/etc/systemd/system'], {
        check: false,
      })
    ).stdout;
    // Short ticks for the test; the default is 5min.
    await enrollNodes({
      ...enrollment,
      ...{ interval: '5s', randomizedDelay: '1s', healthTimeout: 20, stabilityWindow: 2 },
    });
    // Inbound SSH closed for good: every later release reaches the node only through its own timer.
    await execOnNode(container, ['systemctl', 'disable', '--now', 'ssh.service', 'ssh.socket']);
    // And the sessions already open: Ansible's ControlPersist connection would otherwise still get through.
    await runCommand('docker', ['exec', container, 'pkill', '-KILL', '-x', 'sshd'], { check: false });
  });

  after(async () => {
    await channel?.close();
    await fleetDown(FLEET).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it('an enrolment with a bad interval is refused naming the field, and installs nothing', () => {
    assert.ok(badEnrollment, 'the bad enrolment succeeded');
    assert.match(badEnrollment.message, /edge_pull_interval.*systemd time spans.*"soon; rm -rf \/"/s);
    assert.doesNotMatch(leftByBadEnrollment, /pull|edgeship-pull\.timer/);
  });

  it('enrolment pins the release key and starts the timer; SSH no longer answers', async () => {
    const pinned = await execOnNode(container, ['cat', '/etc/edgeship/pull/release.pub']);
    assert.equal(pinned.trim(), (await readFile(anchor.file, 'utf8')).trim());
    assert.equal(
      (await execOnNode(container, ['systemctl', 'is-enabled', 'edgeship-pull.timer'])).trim(),
      'enabled',
    );
    const ssh = await runCommand('ansible', ['-i', inventory.path, 'all', '-m', 'ping'], {
      cwd: join(WORKSPACE_ROOT, 'playbooks'),
      check: false,
    });
    assert.match(ssh.stdout, /UNREACHABLE/, ssh.stdout);
  });

  it('a signed release published to the channel is pulled by the timer, health-gated, and recorded', async () => {
    await publish('v2');
    const report = await waitForPull((pull) => pull.outcome === 'deployed');
    assert.equal(await servedVersion(), versions.v2);
    assert.equal(report.services[HELLO]!.release_env['EDGESHIP_VERSION'], versions.v2);
    const last = (await lastHistory()).at(-1)!;
    assert.equal(last['action'], 'pull');
    assert.equal(last['outcome'], 'healthy');
    assert.equal(last['by'], `edgeship-pull@${node}`);
    assert.match(last['to']!, new RegExp(`^${versions.v2.replace(/\./g, '\\.')}-`));
    // The release keeps its verified record, as a pushed one does: a later rollback verifies it again.
    const kept = await execOnNode(container, ['cat', `/opt/edgeship/${HELLO}/current/${SIGNED_RECORD}`]);
    assert.equal(JSON.parse(kept).version, versions.v2);
  });

  it('`npm run status --pull-reports` shows the unreachable node as its report says', async () => {
    const status = await statusCommand([
      ...['--inventory', inventory.path, '--projects', HELLO, '--json'],
      ...['--pull-reports', channelDir],
    ]);
    assert.equal(status.exitCode, 0, status.stdout + status.stderr);
    const rows = (JSON.parse(status.stdout) as { rows: StatusRow[] }).rows;
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.version, versions.v2);
    assert.equal(rows[0]!.health, 'healthy');
    assert.ok(rows[0]!.reportedAt, 'the row says when the node reported');
    // Without the reports, the same node is only unreachable.
    const blind = await statusCommand(['--inventory', inventory.path, '--projects', HELLO, '--json']);
    assert.equal(blind.exitCode, 1);
    assert.equal((JSON.parse(blind.stdout) as { rows: StatusRow[] }).rows[0]!.unit, 'unreachable');
  });

  it('a tampered record is refused: the node keeps its release, records why, and status flags it', async () => {
    // v3's signed record with one character changed after signing, beside v3's signature.
    const signed = await readFile(join(artifacts.v3!, SIGNED_RECORD), 'utf8');
    const signature = await readFile(join(artifacts.v3!, 'build.json.sig'), 'utf8');
    await serveRecord(signed.replace(versions.v3, `${versions.v3}0`), signature);
    const report = await waitForPull((pull) => pull.outcome === 'refused');
    assert.match(report.pulls[HELLO]!.error!, /does not verify against \/etc\/edgeship\/pull\/release\.pub/);
    assert.equal(await servedVersion(), versions.v2);
    const last = (await lastHistory()).at(-1)!;
    assert.equal(last['action'], 'pull');
    assert.equal(last['outcome'], 'refused');
    assert.match(last['error']!, /does not verify/);
    const status = await statusCommand([
      ...['--inventory', inventory.path, '--projects', HELLO, '--json', '--pull-reports', channelDir],
    ]);
    assert.equal(status.exitCode, 1, 'a refused pull needs attention');
    assert.match((JSON.parse(status.stdout) as { rows: StatusRow[] }).rows[0]!.problem!, /^pull refused: /);
  });

  it('an unsigned record and one signed with another key are refused; the node keeps its release', async () => {
    await serveRecord(await readFile(join(artifacts.v3!, SIGNED_RECORD), 'utf8'));
    const unsigned = await waitForPull((pull) => pull.outcome === 'refused');
    assert.match(unsigned.pulls[HELLO]!.error!, /unsigned \(no build\.json\.sig\)/);
    assert.equal(await servedVersion(), versions.v2);
    assert.match((await lastHistory()).at(-1)!['error']!, /unsigned/);

    const foreign = await makeKeyPair(join(workDir, 'foreign-keys'));
    const foreignDir = join(workDir, 'v3-foreign');
    await cp(artifacts.v3!, foreignDir, { recursive: true });
    await signVariant(foreignDir, foreign);
    // publish checks against the anchor it is given: here the foreign key, as a channel fed by another project.
    await publishToChannel({
      ...{ distDir: foreignDir, shownDir: 'v3-foreign', channelDir },
      anchor: { file: foreign.publicKey, source: 'a foreign key', isDevelopment: false },
    });
    const other = await waitForPull(
      (pull) => pull.outcome === 'refused' && /does not verify/.test(pull.error ?? ''),
    );
    assert.match(other.pulls[HELLO]!.error!, /does not verify/);
    assert.equal(await servedVersion(), versions.v2);
    const kept = await execOnNode(container, ['ls', `/opt/edgeship/${HELLO}/releases`]);
    assert.doesNotMatch(kept, new RegExp(versions.v3.replace(/\./g, '\\.')), 'nothing of v3 was installed');
  });

  it('a signed release that fails its health gate is rolled back to the one the node ran', async () => {
    await publish('broken');
    const report = await waitForPull((pull) => pull.outcome === 'rolled back');
    assert.match(report.pulls[HELLO]!.error!, /healthz/);
    assert.equal(await servedVersion(), versions.v2);
    const [failed, back] = (await lastHistory()).slice(-2);
    assert.equal(failed!['action'], 'pull');
    assert.equal(failed!['outcome'], 'unhealthy');
    assert.equal(back!['action'], 'rollback');
    assert.equal(back!['outcome'], 'healthy');
    // The next ticks do not switch to it again: no restart into a release known to fail, no new record.
    const records = (await lastHistory()).length;
    const again = await waitForPull((pull) => pull.outcome === 'rolled back');
    assert.match(again.pulls[HELLO]!.error!, /failed its health gate here at .*; publish another release/);
    assert.equal((await lastHistory()).length, records);
    assert.equal(await servedVersion(), versions.v2);
  });
});
