import assert from 'node:assert/strict';
import { appendFile, copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  fleetDown,
  fleetUp,
  readFleetGateway,
  parseInventory,
  type FleetInventory,
} from '@edgeship/edge-fleet';
import {
  testFleetName,
  captureOutput,
  executorContext,
  startRegistry,
  type TestRegistry,
} from '@edgeship/edge-common/testing';
import { runCommand } from '@edgeship/edge-common';
import releaseExecutor from '../../release/release.impl';
import deployExecutor from '../deploy.impl';
import { contextFor, execOnNode, getJson, readReport, WORKSPACE_ROOT } from './fleet-helpers';

/*
 * Container delivery for real: telemetry-gateway's OCI archive (the image target's output) loaded into podman
 * on amd64 nodes (podman cannot create containers on QEMU-emulated arm64 nodes), run under the unit with its
 * state directory. EDGESHIP_DEPLOY_TEST_AMD64_INVENTORY reuses an amd64 fleet that is up.
 */
const SERVICE = 'telemetry-gateway';
const PORT = 8102;
const FLEET = testFleetName('deployspec-amd');
const MINUTES = 60_000;

let inventory: FleetInventory;
let workDir: string;
let artifactDir: string;
/** The release's registry as the controller sees it (loopback), and a read-only view of it the nodes reach. */
let registry: TestRegistry;
let nodeRegistry: TestRegistry;
let releasedDir: string;

/**
 * Releases the gateway's images to a registry of the test's own (signed with the workspace's key) into a
 * copy of the build output, and serves that registry read-only on the fleet network's gateway.
 */
async function releaseForPull(): Promise<void> {
  registry = await startRegistry({ readonly: false });
  const gateway = await readFleetGateway(FLEET);
  nodeRegistry = await startRegistry({ readonly: true, bindHost: gateway, storageOf: registry });
  releasedDir = join(workDir, 'released');
  await cp(artifactDir, releasedDir, { recursive: true });
  // As on a laptop, even under .ci/run: the workspace's development key pair, made on first use, is the one
  // deploy verifies against; with CI set, release would (rightly) refuse to make it.
  const ci = process.env['CI'];
  process.env['CI'] = '';
  const { result, output } = await captureOutput(() =>
    releaseExecutor(
      {
        registry: registry.host,
        repository: 'edgeship-test/telemetry-gateway',
        imagePath: join(releasedDir, 'image'),
      },
      executorContext(WORKSPACE_ROOT, SERVICE, `packages/${SERVICE}`),
    ),
  ).finally(() => {
    if (ci === undefined) delete process.env['CI'];
    else process.env['CI'] = ci;
  });
  if (!result.success) throw new Error(`release for the pull test failed:\n${output}`);
}

/** A value systemd's EnvironmentFile syntax and podman's command line would both mangle, unescaped. */
const TRICKY = 'say "hi" \\ back\nslash $HOME `id` %n';
const ENVIRONMENT = { edge_service_environment: { EDGESHIP_SPEC_CONTAINER: TRICKY } };

async function deploy(dir: string, delivery?: 'binary', extraVars: Record<string, unknown> = {}) {
  const reportFile = join(workDir, 'report.json');
  const options = {
    ...(delivery ? { delivery } : {}),
    inventory: inventory.path,
    artifactDir: dir,
    // Unsigned builds of the test's own: the local fleet accepts them when told so, in CI too.
    allowUnsigned: true,
    report: reportFile,
    healthTimeout: 30,
    stabilityWindow: 3,
    // The gateway spools to DATA_DIR; until its package.json marker says "stateDirectory": true, ask here.
    extraVars: { edge_service_state_dir: true, ...extraVars },
  };
  const result = await deployExecutor(options, contextFor(SERVICE));
  return { success: result.success, report: await readReport(reportFile) };
}

describe('container delivery on a real amd64 fleet with podman', { timeout: 60 * MINUTES }, () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-deploy-container-'));
    const fromEnv = process.env['EDGESHIP_DEPLOY_TEST_AMD64_INVENTORY'];
    inventory = fromEnv
      ? parseInventory(fromEnv, await readFile(fromEnv, 'utf8'))
      : (await fleetUp({ name: FLEET, nodes: 1, arch: 'amd64' })).inventory;
    await runCommand('npx', ['nx', 'run', `${SERVICE}:image`], { cwd: WORKSPACE_ROOT, stream: true });
    // A private copy of the build output (amd64 image + its record, executables for the fallback).
    artifactDir = join(workDir, 'dist');
    await cp(join(WORKSPACE_ROOT, 'dist', SERVICE, 'image'), join(artifactDir, 'image'), { recursive: true });
    await cp(join(WORKSPACE_ROOT, 'dist', SERVICE, 'bin'), join(artifactDir, 'bin'), { recursive: true });
    // The pruned lockfile too: release makes the SBOM it signs with the build record from it.
    await cp(join(WORKSPACE_ROOT, 'dist', SERVICE, 'lock'), join(artifactDir, 'lock'), { recursive: true });
    await releaseForPull();
  });

  after(async () => {
    await nodeRegistry?.stop();
    await registry?.stop();
    if (!process.env['EDGESHIP_DEPLOY_TEST_AMD64_INVENTORY']) await fleetDown(FLEET).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it('first delivers the executable, with the socket unit holding the port', async () => {
    const { success, report } = await deploy(artifactDir, 'binary');
    assert.equal(success, true, JSON.stringify(report.nodes));
    for (const host of inventory.hosts) {
      const socket = `edgeship-${SERVICE}.socket`;
      assert.equal((await execOnNode(host.container, ['systemctl', 'is-active', socket])).trim(), 'active');
    }
  });

  it('switches to the released image, pulled by digest from a registry the node reaches; the socket unit lets go', async () => {
    const pull = {
      edge_service_image_registry: nodeRegistry.host,
      edge_service_image_registry_tls_verify: false,
    };
    const { success, report } = await deploy(releasedDir, undefined, pull);
    assert.equal(success, true, JSON.stringify(report.nodes));
    for (const host of inventory.hosts) {
      const units = await execOnNode(host.container, ['ls', '/etc/systemd/system']);
      assert.doesNotMatch(units, new RegExp(`edgeship-${SERVICE}\\.socket`));
      assert.equal((await getJson(host.publishedPorts.get(PORT)!, '/version')).body.name, SERVICE);
      // The release holds the pinned reference podman pulled, not an archive sent over SSH.
      const release = `/opt/edgeship/${SERVICE}/current`;
      const reference = await execOnNode(host.container, ['cat', `${release}/image.ref`]);
      assert.match(
        reference,
        new RegExp(`^${nodeRegistry.host}/edgeship-test/telemetry-gateway@sha256:[0-9a-f]{64}$`),
      );
      await assert.rejects(execOnNode(host.container, ['test', '-e', `${release}/image.tar`]));
      const digests = await execOnNode(host.container, [
        'podman',
        'image',
        'list',
        '--digests',
        '--format',
        '{{.Digest}}',
      ]);
      assert.ok(digests.includes(reference.trim().split('@')[1]!), digests);
    }
    const again = await deploy(releasedDir, undefined, pull);
    assert.deepEqual(
      again.report.nodes.map((node) => node.changed),
      again.report.nodes.map(() => 0),
    );
  });

  it('loads the image into podman and serves /version through 127.0.0.1, with its state directory and environment', async () => {
    const { success, report } = await deploy(artifactDir, undefined, ENVIRONMENT);
    assert.equal(success, true, JSON.stringify(report.nodes));
    for (const host of inventory.hosts) {
      const version = await getJson(host.publishedPorts.get(PORT)!, '/version');
      assert.equal(version.body.name, SERVICE);
      assert.equal(version.body.arch, 'x64');
      const running = await execOnNode(host.container, ['podman', 'ps', '--format', '{{.Names}}']);
      assert.match(running, new RegExp(`edgeship-${SERVICE}`));
      await execOnNode(host.container, ['test', '-d', `/var/lib/edgeship-${SERVICE}`]);
      // The container got the value from podman's environment (the release's service.env), byte for byte.
      const env = JSON.parse(
        await execOnNode(host.container, [
          'podman',
          'inspect',
          '--format',
          '{{json .Config.Env}}',
          `edgeship-${SERVICE}`,
        ]),
      ) as string[];
      assert.ok(env.includes(`EDGESHIP_SPEC_CONTAINER=${TRICKY}`), JSON.stringify(env));
      const unit = await execOnNode(host.container, [
        'cat',
        `/etc/systemd/system/edgeship-${SERVICE}.service`,
      ]);
      assert.match(unit, /--env=EDGESHIP_SPEC_CONTAINER \\$/m);
      assert.doesNotMatch(unit, /say "hi"/);
    }
    assert.ok(report.nodes.every((node) => node.delivery === 'container'));
  });

  it('deploys the same image again with changed=0', async () => {
    const { success, report } = await deploy(artifactDir, undefined, ENVIRONMENT);
    assert.equal(success, true);
    assert.deepEqual(
      report.nodes.map((node) => node.changed),
      report.nodes.map(() => 0),
    );
  });

  it('refuses an image archive with a modified layer before anything on a node changes', async () => {
    const tampered = join(workDir, 'tampered');
    const layout = join(workDir, 'layout');
    await mkdir(join(tampered, 'image'), { recursive: true });
    await mkdir(layout, { recursive: true });
    await cp(join(artifactDir, 'bin'), join(tampered, 'bin'), { recursive: true });
    await copyFile(join(artifactDir, 'image', 'image.json'), join(tampered, 'image', 'image.json'));
    const archive = `${SERVICE}-linux-amd64.tar`;
    await runCommand('tar', ['-xf', join(artifactDir, 'image', archive), '-C', layout]);
    const [blob] = (await readdir(join(layout, 'blobs', 'sha256'))).sort();
    await appendFile(join(layout, 'blobs', 'sha256', blob!), 'x');
    await runCommand('tar', ['-cf', join(tampered, 'image', archive), '-C', layout, '.']);
    const { success, report } = await deploy(tampered);
    assert.equal(success, false);
    assert.equal(report.nodes[0]!.health, 'refused');
    assert.match(report.nodes[0]!.error!, /does not match its digest: the archive was modified/);
  });
});
