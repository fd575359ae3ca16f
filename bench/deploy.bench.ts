/**
 * Deploy benchmark on real local fleets, with the deploy executor and the real playbooks:
 * - wall time of deploying a new hello-edge release (a one-line change) to 1, 2 and 4 emulated arm64
 *   nodes with the default rollout (one canary node, then the rest at once);
 * - bytes each node received for a one-line change, per delivery mode: binary (the single executable,
 *   arm64 nodes) and container on an amd64 node (podman cannot run on emulated arm64 nodes, see
 *   shared/ENVIRONMENT.md): the OCI archive over SSH, and the signed image pulled by digest from a registry;
 * - what a client asking the node every 100 ms saw during each upgrade (failed requests, longest outage).
 * Run: node --import tsx bench/deploy.bench.ts [--skip-binary] [--skip-container]
 * Writes bench/results/deploy.json and bench/results/deploy.md (figures of a skipped part are kept).
 */
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  fleetDown,
  fleetUp,
  readFleetGateway,
  type FleetArch,
  type FleetInventory,
} from '@edgeship/edge-fleet';
import {
  testFleetName,
  commitAll,
  copyWorkspaceToThrowawayRepo,
  startHammer,
  type HammerFigures,
  captureOutput,
  executorContext,
  startRegistry,
  type TestRegistry,
} from '@edgeship/edge-common/testing';
import { runCommand } from '@edgeship/edge-common';
import deployExecutor from '@edgeship/edge-plugin/executors/deploy/deploy.impl';
import { contextFor, readReport } from '@edgeship/edge-plugin/executors/deploy/test/fleet-helpers';
import { writeReleaseVariant } from '@edgeship/edge-plugin/executors/deploy/test/release-variants';
import releaseExecutor from '@edgeship/edge-plugin/executors/release/release.impl';

const WORKSPACE_ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
const NODE_COUNTS = [1, 2, 4];
const BINARY = { service: 'hello-edge', port: 8101 };
const CONTAINER = { service: 'telemetry-gateway', port: 8102 };
// The one-line change of the container run: a message the bundle keeps (a comment would be minified away).
const CHANGED_FILE = 'packages/telemetry-gateway/src/readings-routes.ts';
const CHANGED_LINE = "'spool not open'";

interface DeployFigures {
  mode: 'binary' | 'container';
  /** How the artifact reached the node: copied over SSH, or (released images) pulled by digest from a registry. */
  transfer: 'ssh' | 'registry pull';
  arch: FleetArch;
  nodes: number;
  what: string;
  seconds: number;
  /** Bytes received on eth0 of each node during the deploy: artifact, SSH and Ansible's own modules. */
  receivedBytes: Record<string, number>;
  artifactBytes: number;
  /** What a client asking the first (canary) node's /healthz every 100 ms (10 s timeout) saw during the deploy. */
  requests: HammerFigures;
  measuredAt: string;
  load1m: number;
}

const round = (value: number) => Math.round(value * 10) / 10;
const mib = (bytes: number) => round(bytes / 2 ** 20);
const currentLoad = () => round(loadavg()[0]!);

async function receivedBytes(container: string): Promise<number> {
  const { stdout } = await runCommand('docker', [
    'exec',
    container,
    'cat',
    '/sys/class/net/eth0/statistics/rx_bytes',
  ]);
  return Number(stdout.trim());
}

interface MeasuredDeploy {
  mode: DeployFigures['mode'];
  inventory: FleetInventory;
  nodes: number;
  service: { service: string; port: number };
  artifactDir: string;
  artifactFile: string;
  version?: string;
  what: string;
  /** Role variables: edge_service_image_registry makes nodes pull released images. */
  extraVars?: Record<string, unknown>;
}

/** One deploy to the first `nodes` nodes of the fleet, measured; a deploy that fails ends the benchmark. */
async function measureDeploy(run: MeasuredDeploy): Promise<DeployFigures> {
  const hosts = run.inventory.hosts.slice(0, run.nodes);
  const load1m = currentLoad();
  const before = await Promise.all(hosts.map((host) => receivedBytes(host.container)));
  const hammer = startHammer(hosts[0]!.publishedPorts.get(run.service.port)!);
  const reportFile = join(run.artifactDir, 'deploy-report.json');
  const started = process.hrtime.bigint();
  const result = await deployExecutor(
    {
      inventory: run.inventory.path,
      limit: hosts.map((host) => host.name).join(','),
      artifactDir: run.artifactDir,
      report: reportFile,
      ...(run.version ? { version: run.version } : {}),
      ...(run.extraVars ? { extraVars: run.extraVars } : {}),
    },
    contextFor(run.service.service),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const requests = await hammer.stop();
  if (!result.success) {
    throw new Error(`${run.what}: deploy failed: ${JSON.stringify((await readReport(reportFile)).nodes)}`);
  }
  const after = await Promise.all(hosts.map((host) => receivedBytes(host.container)));
  return {
    mode: run.mode,
    transfer: run.extraVars?.['edge_service_image_registry'] ? 'registry pull' : 'ssh',
    arch: hosts[0]!.arch,
    nodes: run.nodes,
    what: run.what,
    seconds: round(seconds),
    receivedBytes: Object.fromEntries(hosts.map((host, i) => [host.name, after[i]! - before[i]!])),
    artifactBytes: (await stat(run.artifactFile)).size,
    requests,
    measuredAt: new Date().toISOString(),
    load1m,
  };
}

/** hello-edge on 4 arm64 nodes: the release the bundle target built everywhere, then a new one to 1, 2, 4. */
async function benchBinary(workDir: string, record: (figures: DeployFigures) => Promise<void>) {
  const fleet = testFleetName('dbench');
  const { inventory } = await fleetUp({ name: fleet, nodes: Math.max(...NODE_COUNTS), arch: 'arm64' });
  try {
    await runCommand('npx', ['nx', 'run', `${BINARY.service}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    const executable = `${BINARY.service}-linux-arm64`;
    const base = join(workDir, 'base');
    await mkdir(join(base, 'bin'), { recursive: true });
    for (const file of [executable, 'executables.json'])
      await copyFile(join(WORKSPACE_ROOT, 'dist', BINARY.service, 'bin', file), join(base, 'bin', file));
    const common = { mode: 'binary' as const, inventory, service: BINARY };
    // The starting point, not a figure: every node runs the release the bundle target built.
    await measureDeploy({
      ...common,
      nodes: inventory.hosts.length,
      artifactDir: base,
      artifactFile: join(base, 'bin', executable),
      what: 'setup',
    });
    const manifest = JSON.parse(
      await readFile(join(WORKSPACE_ROOT, 'packages', BINARY.service, 'package.json'), 'utf8'),
    );
    for (const nodes of NODE_COUNTS) {
      const version = `${manifest.version}-bench${nodes}`;
      const artifactDir = await writeReleaseVariant({
        workspaceRoot: WORKSPACE_ROOT,
        service: BINARY.service,
        version,
        archs: ['arm64'],
        outDir: workDir,
      });
      await record(
        await measureDeploy({
          ...common,
          nodes,
          artifactDir,
          artifactFile: join(artifactDir, 'bin', executable),
          version,
          what: `one-line change (version string) to ${nodes} node${nodes > 1 ? 's' : ''}`,
        }),
      );
    }
  } finally {
    await fleetDown(fleet);
  }
}

/** The image target's output of a throwaway copy of the workspace, copied into `into`. */
async function buildImageIn(root: string, into: string): Promise<string> {
  await runCommand('npx', ['nx', 'run', `${CONTAINER.service}:image`], { cwd: root, stream: true });
  // The pruned lockfile too: release makes the SBOM it signs with the build record from it.
  for (const part of ['image', 'bin', 'lock']) {
    await cp(join(root, 'dist', CONTAINER.service, part), join(into, part), { recursive: true });
  }
  return into;
}

/** Changes one line of the throwaway copy (a message the bundle keeps: a comment would be minified away). */
async function changeOneLine(copy: string, to: string): Promise<void> {
  const file = join(copy, CHANGED_FILE);
  const source = await readFile(file, 'utf8');
  const line = /'spool not open[^']*'/;
  if (!line.test(source)) throw new Error(`${CHANGED_FILE} no longer holds ${CHANGED_LINE}`);
  await writeFile(file, source.replace(line, to));
  commitAll(copy, `bench: one-line change in ${CONTAINER.service}`);
}

/**
 * Signs and pushes an image build to the bench's registry with the workspace's key (the deploy verifies
 * against it); the release.json lands beside the build copy.
 */
async function release(copy: string, artifactDir: string, registry: TestRegistry): Promise<void> {
  const { result, output } = await captureOutput(() =>
    releaseExecutor(
      {
        registry: registry.host,
        repository: `edgeship-bench/${CONTAINER.service}`,
        imagePath: join(artifactDir, 'image'),
        keyDir: join(WORKSPACE_ROOT, '.edgeship', 'keys'),
      },
      executorContext(copy, CONTAINER.service, `packages/${CONTAINER.service}`),
    ),
  );
  if (!result.success) throw new Error(`release of ${artifactDir} failed:\n${output}`);
}

/**
 * telemetry-gateway as a container on an amd64 node: its image, then one one-line change sent as an archive
 * over SSH, then another pulled by digest from a registry on the fleet network (only the changed layer moves).
 */
async function benchContainer(workDir: string, record: (figures: DeployFigures) => Promise<void>) {
  const fleet = testFleetName('dbench-amd');
  const copy = copyWorkspaceToThrowawayRepo();
  let registry: TestRegistry | undefined;
  let nodeRegistry: TestRegistry | undefined;
  try {
    const { inventory } = await fleetUp({ name: fleet, nodes: 1, arch: 'amd64' });
    registry = await startRegistry({ readonly: false });
    const gateway = await readFleetGateway(fleet);
    nodeRegistry = await startRegistry({ readonly: true, bindHost: gateway, storageOf: registry });
    const base = await buildImageIn(copy, join(workDir, 'image-base'));
    await changeOneLine(copy, "'spool not open yet'");
    const changed = await buildImageIn(copy, join(workDir, 'image-changed'));
    await changeOneLine(copy, "'spool not open, yet'");
    const pulled = await buildImageIn(copy, join(workDir, 'image-pulled'));
    await release(copy, pulled, registry);
    const archive = `${CONTAINER.service}-linux-amd64.tar`;
    const common = { mode: 'container' as const, inventory, nodes: 1, service: CONTAINER };
    await measureDeploy({
      ...common,
      artifactDir: base,
      artifactFile: join(base, 'image', archive),
      what: 'setup',
    });
    await record(
      await measureDeploy({
        ...common,
        artifactDir: changed,
        artifactFile: join(changed, 'image', archive),
        what: 'one-line change (a message string) to 1 node',
      }),
    );
    await record(
      await measureDeploy({
        ...common,
        artifactDir: pulled,
        artifactFile: join(pulled, 'image', archive),
        what: 'another one-line change to 1 node, the signed image pulled by digest',
        extraVars: {
          edge_service_image_registry: nodeRegistry.host,
          edge_service_image_registry_tls_verify: false,
        },
      }),
    );
  } finally {
    await nodeRegistry?.stop();
    await registry?.stop();
    await fleetDown(fleet);
    await rm(copy, { recursive: true, force: true });
  }
}

function renderMarkdown(figures: DeployFigures[], machine: Record<string, string | number>): string {
  const outage = (f: DeployFigures) =>
    `${f.requests.failed}/${f.requests.requests} (${
      Object.entries(f.requests.failures)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ') || 'none'
    }), longest outage ${round(f.requests.longestOutageMs / 1000)} s, slowest answer ${round(
      f.requests.slowestOkMs / 1000,
    )} s`;
  return [
    '# Deploy benchmark',
    '',
    'Default rollout (one canary node, then the rest at once), health gate with a 10 s stability window.',
    "Received = bytes on the node's eth0 during the deploy (artifact, SSH and Ansible's modules).",
    "Failed requests: a client asking the canary node's /healthz every 100 ms through 127.0.0.1 (10 s timeout).",
    'Load is the 1-minute load average when a deploy started: the 2-core machine is shared.',
    'Rows measured before 2026-12-02 sent whole files and ran the whole role; since then a node receives an rsync',
    "delta against the closest artifact it holds and Ansible's hot path uses lean modules: see delivery.md.",
    '',
    `Machine: ${Object.entries(machine)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    '| mode | arch | deploy | measured | wall time | artifact | received per node | failed requests during the upgrade | load |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...figures.map(
      (f) =>
        `| ${f.mode}${f.transfer === 'registry pull' ? ' (registry pull)' : ''} | ${f.arch} | ${f.what} | ${f.measuredAt.slice(0, 10)} | ${f.seconds} s | ${mib(f.artifactBytes)} MiB | ${Object.values(
          f.receivedBytes,
        )
          .map(mib)
          .join(' / ')} MiB | ${outage(f)} | ${f.load1m} |`,
    ),
    '',
  ].join('\n');
}

async function readPrevious(): Promise<DeployFigures[]> {
  try {
    return JSON.parse(await readFile(join(RESULTS, 'deploy.json'), 'utf8')).deploys;
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'skip-binary': { type: 'boolean' }, 'skip-container': { type: 'boolean' } },
  });
  const engine = (await runCommand('docker', ['version', '--format', '{{.Server.Version}}'])).stdout;
  const machine = { cpus: cpus().length, node: process.version, 'docker engine': engine };
  const skipped = (mode: DeployFigures['mode']) => Boolean(values[`skip-${mode}`]);
  const figures = (await readPrevious()).filter((f) => skipped(f.mode));
  // Saved after every figure, so a failure late in a long run keeps what was measured.
  const record = async (entry: DeployFigures) => {
    figures.push(entry);
    figures.sort((a, b) => a.mode.localeCompare(b.mode) || a.nodes - b.nodes);
    await mkdir(RESULTS, { recursive: true });
    await writeFile(
      join(RESULTS, 'deploy.json'),
      `${JSON.stringify({ machine, deploys: figures }, null, 2)}\n`,
    );
    await writeFile(join(RESULTS, 'deploy.md'), renderMarkdown(figures, machine));
  };
  const workDir = await mkdtemp(join(tmpdir(), 'edgeship-deploy-bench-'));
  try {
    if (!skipped('binary')) await benchBinary(workDir, record);
    if (!skipped('container')) await benchContainer(workDir, record);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  console.log(renderMarkdown(figures, machine));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
