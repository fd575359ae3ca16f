/**
 * Delivery benchmark (issue 11) on real local fleets, with the deploy executor's batch implementation and the
 * real playbooks, binary delivery to emulated arm64 nodes:
 *   bytes   on 4 nodes, bytes each node received (eth0) for: the first install of hello-edge (nothing on the
 *           nodes), the first install of telemetry-gateway (its runtime shared with hello-edge's), a one-line
 *           change of hello-edge, an unchanged redeploy; with each row's transfer method and artifact bytes;
 *   wall    wall time of a one-line change and of an unchanged redeploy on 1, 2 and 4 nodes (default rollout);
 *   batch   on 2 nodes, ONE rollout of a one-line change of both services against TWO rollouts (one per service);
 *   start   `npm start` in a throwaway copy of the workspace on its own 2-node fleet: set-up, nothing changed,
 *           then a one-line change of hello-edge's source (the issue's 15 % target).
 * Run: node --import tsx bench/delivery.bench.ts [--skip-bytes] [--skip-wall] [--skip-batch] [--skip-start]
 * (all four skipped: delivery.md and delivery.json are rendered again from the figures they hold).
 * Writes bench/results/delivery.json and bench/results/delivery.md after every figure (figures of a skipped
 * part are kept from the previous run).
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetDown, fleetUp, type FleetInventory, type InventoryHost } from '@edgeship/edge-fleet';
import { testFleetName, commitAll, copyWorkspaceToThrowawayRepo } from '@edgeship/edge-common/testing';
import { reportError, runCommand } from '@edgeship/edge-common';
import type { DeployExecutorOptions } from '@edgeship/edge-plugin/executors/deploy/schema';
import { runDeployBatch } from '@edgeship/edge-plugin/executors/deploy/test/deploy-batch';
import { execOnNode, readReceivedBytes } from '@edgeship/edge-plugin/executors/deploy/test/fleet-helpers';
import {
  copyBuiltExecutable,
  writeReleaseVariant,
} from '@edgeship/edge-plugin/executors/deploy/test/release-variants';

const WORKSPACE_ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
const HELLO = 'hello-edge';
const GATEWAY = 'telemetry-gateway';
const NODE_COUNTS = [1, 2, 4];
const BATCH_NODES = 2;
const START_NODES = 2;
// The one-line change of the `npm start` part: a message the bundle keeps (a comment would be minified away).
const CHANGED_FILE = `packages/${HELLO}/src/app.ts`;
const CHANGED_MESSAGE = /'name must be 1-64 letters, digits or spaces'/;
const PARTS = ['bytes', 'wall', 'batch', 'start'] as const;
type Part = (typeof PARTS)[number];

/** Landed main before issue 11's work (bench/results/deploy.md, issue 11), quoted for comparison. */
const BEFORE = {
  source: 'bench/results/deploy.md and issue 11 (landed main before commit 1005407)',
  oneLineChangeReceivedMiB: 101.6,
  oneLineChangeSeconds: { 1: 79.8, 2: 164.9, 4: 203.7 } as Record<number, number>,
  containerRegistryPullReceivedMiB: 3.0,
  unchangedNpmStartSeconds: 127,
};

/** One node's row of a deploy report (the executor's NodeOutcome), with its service. */
interface ServiceRow {
  service: string;
  node: string;
  health: string;
  action: string;
  transfer: string;
  transferBytes: number;
  changed: number;
}

interface ReportFile {
  service: string;
  success: boolean;
  rollout?: string[];
  nodes: Omit<ServiceRow, 'service'>[];
}

interface DeliveryFigure {
  part: Part;
  what: string;
  /** Set-up steps are recorded for the record but are not figures of the issue. */
  isSetup?: boolean;
  nodes: number;
  /** Ansible runs the measurement took. */
  rollouts: number;
  /** The services of each Ansible run, as the reports say (report.rollout). */
  rolloutServices: string[][];
  seconds: number;
  /** Bytes received on eth0 of each targeted node: artifact, SSH and Ansible's own modules, all of it. */
  receivedBytes: Record<string, number>;
  rows: ServiceRow[];
  measuredAt: string;
  load1m: number;
}

interface DeployTask {
  service: string;
  artifactDir: string;
  version: string;
}

const round = (value: number) => Math.round(value * 10) / 10;
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100;
const kib = (bytes: number) => round(bytes / 1024);
const currentLoad = () => round(loadavg()[0]!);
const receivedOn = (hosts: readonly InventoryHost[]) =>
  Promise.all(hosts.map((host) => readReceivedBytes(host.container)));
const toRows = (report: ReportFile): ServiceRow[] =>
  report.nodes.map((n) => ({
    ...{ service: report.service, node: n.node, health: n.health, action: n.action },
    ...{ transfer: n.transfer, transferBytes: n.transferBytes, changed: n.changed },
  }));
const describeRows = (rows: ServiceRow[]) =>
  rows
    .map((r) => `${r.service} ${r.node} ${r.health} ${r.action} ${r.transfer} ${r.transferBytes}`)
    .join('\n');

/**
 * Everything the variants are built from, copied once: other engineers rebuild dist/ in the same checkout, and
 * a bundle changed under the bench would turn a one-line change into a bigger one.
 */
async function snapshotBuild(workDir: string): Promise<{ root: string; gatewayDir: string }> {
  await runCommand('npx', ['nx', 'run-many', '-t', 'bundle', '-p', HELLO, GATEWAY], {
    cwd: WORKSPACE_ROOT,
    stream: true,
  });
  const root = join(workDir, 'build');
  await mkdir(root, { recursive: true });
  await copyFile(join(WORKSPACE_ROOT, 'package.json'), join(root, 'package.json'));
  for (const service of [HELLO, GATEWAY]) {
    await mkdir(join(root, 'dist', service, 'bundle'), { recursive: true });
    const bundle = join('dist', service, 'bundle', 'main.js');
    await copyFile(join(WORKSPACE_ROOT, bundle), join(root, bundle));
  }
  // The gateway as the bundle target built it, with its part of the build record.
  const gatewayDir = join(workDir, `${GATEWAY}-built`);
  await copyBuiltExecutable(WORKSPACE_ROOT, GATEWAY, 'arm64', gatewayDir);
  return { root, gatewayDir };
}

/** The fleet of parts bytes, wall and batch, the build they deploy and a fresh one-line change on demand. */
class ArmFleet {
  private variants = 0;
  private reports = 0;
  private readonly run = Date.now().toString(36);

  constructor(
    readonly inventory: FleetInventory,
    private readonly build: { root: string; gatewayDir: string },
    private readonly workDir: string,
    private readonly versions: Record<string, string>,
  ) {}

  /** The real service with another version string baked in: a one-line change, new to every node. */
  async variant(service: string): Promise<DeployTask> {
    const version = `${this.versions[service]}-deliv${++this.variants}.${this.run}`;
    const artifactDir = await writeReleaseVariant({
      ...{ workspaceRoot: this.build.root, service, version },
      ...{ archs: ['arm64'], outDir: this.workDir },
    });
    return { service, artifactDir, version };
  }

  builtGateway(): DeployTask {
    return { service: GATEWAY, artifactDir: this.build.gatewayDir, version: this.versions[GATEWAY]! };
  }

  /** One Ansible run through the batch implementation, as `npm start` and `nx affected -t deploy` run it. */
  async rollout(tasks: DeployTask[], hosts: readonly InventoryHost[]): Promise<ReportFile[]> {
    const options: Record<string, DeployExecutorOptions> = {};
    const files: string[] = [];
    for (const { service, artifactDir, version } of tasks) {
      const report = join(this.workDir, `report-${++this.reports}-${service}.json`);
      files.push(report);
      // Defaults otherwise (serial "1,100%", 10 s stability window); the gateway's state directory comes from
      // its package.json marker: an extraVars for it alone would split a batch into two rollouts (rolloutKey).
      options[service] = {
        ...{ inventory: this.inventory.path, artifactDir, version, delivery: 'binary', report },
        ...{ limit: hosts.map((host) => host.name).join(','), healthTimeout: 60 },
      };
    }
    const results = await runDeployBatch(options);
    const reports: ReportFile[] = [];
    for (const [index, task] of tasks.entries()) {
      const report = JSON.parse(await readFile(files[index]!, 'utf8').catch(() => '{}')) as ReportFile;
      const rows = report.nodes ? toRows(report) : [];
      if (!results[`${task.service}:deploy`]?.success || !report.success) {
        // A failed deploy is a finding about the deploy, not something the bench works around.
        throw new Error(`deploy of ${task.service} ${task.version} failed:\n${describeRows(rows)}`);
      }
      reports.push(report);
    }
    return reports;
  }

  /** Rollouts one after the other on the first `nodes` nodes, measured together as one figure. */
  async measure(
    part: Part,
    what: string,
    nodes: number,
    rollouts: DeployTask[][],
    isSetup = false,
  ): Promise<DeliveryFigure> {
    const hosts = this.inventory.hosts.slice(0, nodes);
    const load1m = currentLoad();
    const before = await receivedOn(hosts);
    const started = process.hrtime.bigint();
    const reports: ReportFile[][] = [];
    for (const tasks of rollouts) reports.push(await this.rollout(tasks, hosts));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = await receivedOn(hosts);
    return {
      ...{ part, what, ...(isSetup ? { isSetup } : {}), nodes, rollouts: rollouts.length },
      rolloutServices: reports.map((run) => run[0]?.rollout ?? run.map((report) => report.service)),
      seconds: round(seconds),
      receivedBytes: Object.fromEntries(hosts.map((host, i) => [host.name, after[i]! - before[i]!])),
      rows: reports.flat().flatMap(toRows),
      measuredAt: new Date().toISOString(),
      load1m,
    };
  }
}

async function readVersions(): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const service of [HELLO, GATEWAY]) {
    const manifest = JSON.parse(
      await readFile(join(WORKSPACE_ROOT, 'packages', service, 'package.json'), 'utf8'),
    );
    versions[service] = manifest.version;
  }
  return versions;
}

/** Parts bytes, wall and batch on one fleet of 4 emulated arm64 nodes. */
async function benchFleet(
  workDir: string,
  parts: Set<Part>,
  record: (figure: DeliveryFigure) => Promise<void>,
): Promise<void> {
  const name = testFleetName('delivbench');
  try {
    const { inventory } = await fleetUp({ name, nodes: Math.max(...NODE_COUNTS), arch: 'arm64' });
    const fleet = new ArmFleet(inventory, await snapshotBuild(workDir), workDir, await readVersions());
    const all = inventory.hosts.length;
    // Nothing installed: a reused fleet (an interrupted run) keeps releases, and a first install must be one.
    for (const host of inventory.hosts) {
      await execOnNode(host.container, ['sh', '-c', 'rm -rf /opt/edgeship/*']);
    }
    const first = await fleet.variant(HELLO);
    const firstInstall = await fleet.measure(
      'bytes',
      `first install of ${HELLO} (nothing on the nodes)`,
      all,
      [[first]],
    );
    const gateway = await fleet.measure(
      'bytes',
      `first install of a second service, ${GATEWAY} (${HELLO} on the nodes)`,
      all,
      [[fleet.builtGateway()]],
    );
    if (parts.has('bytes')) {
      await record(firstInstall);
      await record(gateway);
      const change = await fleet.variant(HELLO);
      await record(await fleet.measure('bytes', `one-line change of ${HELLO}`, all, [[change]]));
      await record(await fleet.measure('bytes', `unchanged redeploy of ${HELLO}`, all, [[change]]));
    }
    if (parts.has('wall')) {
      for (const nodes of NODE_COUNTS) {
        const change = await fleet.variant(HELLO);
        const on = `to ${nodes} node${nodes > 1 ? 's' : ''}`;
        await record(await fleet.measure('wall', `one-line change of ${HELLO} ${on}`, nodes, [[change]]));
        await record(await fleet.measure('wall', `unchanged redeploy of ${HELLO} ${on}`, nodes, [[change]]));
      }
    }
    if (parts.has('batch')) {
      const [helloOne, gatewayOne] = [await fleet.variant(HELLO), await fleet.variant(GATEWAY)];
      const [helloTwo, gatewayTwo] = [await fleet.variant(HELLO), await fleet.variant(GATEWAY)];
      const both = `a one-line change of ${HELLO} and of ${GATEWAY} to ${BATCH_NODES} nodes`;
      await record(
        await fleet.measure('batch', `${both}: ONE rollout (one batch)`, BATCH_NODES, [
          [helloOne, gatewayOne],
        ]),
      );
      await record(
        await fleet.measure(
          'batch',
          `another ${both.slice(2)}: TWO rollouts (one per service)`,
          BATCH_NODES,
          [[helloTwo], [gatewayTwo]],
        ),
      );
    }
  } finally {
    await fleetDown(name).catch((error: unknown) => reportError(error));
  }
}

/** One `npm start` in the throwaway copy, as a user runs it; its dist/deploy-report.json gives the rows. */
async function measureStart(
  copy: string,
  fleet: string,
  inventory: FleetInventory,
  what: string,
  isSetup = false,
): Promise<DeliveryFigure> {
  const load1m = currentLoad();
  const before = await receivedOn(inventory.hosts);
  const started = process.hrtime.bigint();
  const run = await runCommand('npm', ['start', '--', '--fleet', fleet, '--nodes', String(START_NODES)], {
    cwd: copy,
    env: { ...process.env, EDGESHIP_SKIP_BOOTSTRAP: '1' },
    stream: true,
    check: false,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = await receivedOn(inventory.hosts);
  const report = JSON.parse(
    await readFile(join(copy, 'dist', 'deploy-report.json'), 'utf8').catch(() => '{}'),
  );
  const services = (report.services ?? []) as ReportFile[];
  const rows = services.flatMap((service) => (service.nodes ? toRows(service) : []));
  if (run.exitCode !== 0)
    throw new Error(`${what}: npm start failed (exit ${run.exitCode}):\n${describeRows(rows)}`);
  return {
    ...{ part: 'start', what, ...(isSetup ? { isSetup } : {}), nodes: inventory.hosts.length, rollouts: 1 },
    rolloutServices: services.slice(0, 1).map((service) => service.rollout ?? []),
    seconds: round(seconds),
    receivedBytes: Object.fromEntries(inventory.hosts.map((host, i) => [host.name, after[i]! - before[i]!])),
    rows,
    measuredAt: new Date().toISOString(),
    load1m,
  };
}

/** `npm start` with nothing changed against `npm start` after a one-line change, same fleet, same run. */
async function benchStart(record: (figure: DeliveryFigure) => Promise<void>): Promise<void> {
  const copy = copyWorkspaceToThrowawayRepo();
  const fleet = testFleetName('delivstart', copy);
  try {
    const { inventory } = await fleetUp({
      name: fleet,
      nodes: START_NODES,
      arch: 'arm64',
      workspaceRoot: copy,
    });
    const start = (what: string, isSetup = false) => measureStart(copy, fleet, inventory, what, isSetup);
    await record(await start('first npm start: builds everything (empty Nx cache), first install', true));
    await record(await start('npm start, nothing changed'));
    const file = join(copy, CHANGED_FILE);
    const source = await readFile(file, 'utf8');
    if (!CHANGED_MESSAGE.test(source)) throw new Error(`${CHANGED_FILE} no longer holds ${CHANGED_MESSAGE}`);
    await writeFile(
      file,
      source.replace(CHANGED_MESSAGE, "'name must be 1 to 64 letters, digits or spaces'"),
    );
    commitAll(copy, `bench: one-line change in ${HELLO}`);
    await record(await start(`npm start after a one-line change of ${HELLO}'s source`));
  } finally {
    await fleetDown(fleet, { workspaceRoot: copy }).catch((error: unknown) => reportError(error));
    await rm(copy, { recursive: true, force: true });
  }
}

function beforeOf(figure: DeliveryFigure): string {
  if (figure.part === 'start' && figure.what === 'npm start, nothing changed')
    return `${BEFORE.unchangedNpmStartSeconds} s`;
  if (!figure.what.startsWith(`one-line change of ${HELLO}`)) return '';
  if (figure.part === 'bytes') return `${BEFORE.oneLineChangeReceivedMiB} MiB per node`;
  const seconds = BEFORE.oneLineChangeSeconds[figure.nodes];
  return figure.part === 'wall' && seconds ? `${seconds} s` : '';
}

function describeTransfers(figure: DeliveryFigure): string {
  const distinct = new Map<string, string[]>();
  for (const row of figure.rows) {
    const key = `${row.service}: ${row.action}, ${row.transfer || 'none'}`;
    distinct.set(key, [...(distinct.get(key) ?? []), `${kib(row.transferBytes)}`]);
  }
  return [...distinct.entries()].map(([key, sizes]) => `${key} (${sizes.join(' / ')} KiB)`).join('; ');
}

function findSeconds(figures: DeliveryFigure[], part: Part, prefix: string): number | undefined {
  return figures.find((f) => f.part === part && f.what.startsWith(prefix))?.seconds;
}

function renderVerdicts(figures: DeliveryFigure[]): string[] {
  const lines: string[] = [];
  const noop = findSeconds(figures, 'start', 'npm start, nothing changed');
  const changed = findSeconds(figures, 'start', 'npm start after');
  if (noop !== undefined && changed !== undefined) {
    const ratio = Math.round((noop / changed) * 1000) / 10;
    lines.push(
      `- \`npm start\` with nothing changed took ${ratio} % of the one after a one-line change ` +
        `(${noop} s vs ${changed} s; target at most 15 %: ${ratio <= 15 ? 'met' : 'NOT met'}).`,
    );
  }
  const one = findSeconds(figures, 'batch', 'a one-line change');
  const two = findSeconds(figures, 'batch', 'another');
  if (one !== undefined && two !== undefined) {
    lines.push(
      `- Both services in one rollout: ${one} s; in two rollouts: ${two} s (${round((one / two) * 100)} %).`,
    );
  }
  const change = figures.find((f) => f.part === 'bytes' && f.what.startsWith('one-line change'));
  if (change) {
    const worst = Math.max(...Object.values(change.receivedBytes));
    lines.push(
      `- A one-line change: at most ${mib(worst)} MiB received per node (before ${BEFORE.oneLineChangeReceivedMiB} ` +
        `MiB; target at most 1 MiB: ${worst <= 2 ** 20 ? 'met' : 'NOT met'}).`,
    );
  }
  const missing = [
    ...NODE_COUNTS.filter((nodes) => !figures.some((f) => f.part === 'wall' && f.nodes === nodes)).map(
      (nodes) => `the one-line change and unchanged redeploy on ${nodes} node${nodes > 1 ? 's' : ''}`,
    ),
    ...(one === undefined || two === undefined ? ['one rollout of both services against two'] : []),
  ];
  if (missing.length > 0) lines.push(`- Not measured in the recorded runs: ${missing.join('; ')}.`);
  return lines;
}

function renderMarkdown(figures: DeliveryFigure[], machine: Record<string, string | number>): string {
  const row = (f: DeliveryFigure) =>
    `| ${f.part} | ${f.isSetup ? `(set-up) ${f.what}` : f.what} | ${f.nodes} | ${f.rollouts} | ${f.seconds} s | ` +
    `${Object.values(f.receivedBytes)
      .map(mib)
      .join(' / ')} MiB | ${describeTransfers(f)} | ${beforeOf(f)} | ${f.load1m} |`;
  return [
    '# Delivery benchmark',
    '',
    "Binary delivery of hello-edge and telemetry-gateway to emulated arm64 nodes with the deploy executor's",
    'batch implementation (`deployBatch`, as `npm start` and `nx affected -t deploy` run it) and the real',
    'playbooks: default rollout (one canary node, then the rest), 10 s stability window, 60 s health timeout.',
    'A one-line change is the real service with another version string baked in (`writeReleaseVariant`);',
    "in the `start` part it is a changed message in hello-edge's source, built by Nx.",
    "Received = bytes on the node's eth0 during the deploy (artifact, SSH and Ansible's own modules), per node.",
    'Transfer = what the role reports per node and service: the action, how the artifact travelled and its bytes',
    "(rsync's count for a delta). Load = the 1-minute load average when the measurement started: the 2-core",
    'machine is shared, so wall times depend on it. Before = landed main before issue 11',
    `(${BEFORE.source}); container delivery is not measured here`,
    `(before: ${BEFORE.containerRegistryPullReceivedMiB} MiB per one-line change pulled by digest, bench/results/deploy.md).`,
    'Run: `node --import tsx bench/delivery.bench.ts [--skip-bytes] [--skip-wall] [--skip-batch] [--skip-start]`.',
    '',
    `Machine: ${Object.entries(machine)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    '| part | what | nodes | Ansible runs | wall time | received per node | transfer per service (per node) | before | load |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...figures.map(row),
    '| nx | no-op `nx affected -t format lock test bundle image` and `npm run pipeline` next to `nx --version` | | | ' +
      'see [nx-startup.md](nx-startup.md) | | | 5.4 s vs 0.86 s (6.3×); pipeline 23 s | |',
    '',
    ...renderVerdicts(figures),
    '',
  ].join('\n');
}

async function readPrevious(): Promise<DeliveryFigure[]> {
  try {
    return JSON.parse(await readFile(join(RESULTS, 'delivery.json'), 'utf8')).figures;
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: Object.fromEntries(PARTS.map((part) => [`skip-${part}`, { type: 'boolean' as const }])),
  });
  const parts = new Set(PARTS.filter((part) => !values[`skip-${part}`]));
  const engine = (await runCommand('docker', ['version', '--format', '{{.Server.Version}}'])).stdout;
  const machine = { cpus: cpus().length, node: process.version, 'docker engine': engine.trim() };
  const figures = (await readPrevious()).filter((f) => !parts.has(f.part));
  const save = async () => {
    await mkdir(RESULTS, { recursive: true });
    await writeFile(
      join(RESULTS, 'delivery.json'),
      `${JSON.stringify({ machine, before: BEFORE, figures }, null, 2)}\n`,
    );
    await writeFile(join(RESULTS, 'delivery.md'), renderMarkdown(figures, machine));
  };
  // Saved after every figure, so a failure late in a long run keeps what was measured.
  const record = async (figure: DeliveryFigure) => {
    figures.push(figure);
    figures.sort((a, b) => PARTS.indexOf(a.part) - PARTS.indexOf(b.part));
    await save();
  };
  // Every part skipped: the files are only rendered again from the figures kept.
  if (parts.size === 0) await save();
  const workDir = await mkdtemp(join(tmpdir(), 'edgeship-delivery-bench-'));
  try {
    if (parts.has('bytes') || parts.has('wall') || parts.has('batch'))
      await benchFleet(workDir, parts, record);
    if (parts.has('start')) await benchStart(record);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  console.log(renderMarkdown(figures, machine));
}

main().catch((error: unknown) => {
  process.exitCode = reportError(error);
});
