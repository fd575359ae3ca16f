/**
 * Status benchmark (issue 15): wall time of `status` on 1, 2 and 4 amd64 nodes next to a no-op deploy (the
 * release already in place) to the same nodes of the same fleet, with the real playbooks:
 * - `npm run status` as a person runs it (node + tsx start-up, one Ansible run of status.yml for every
 *   service of the workspace, the table);
 * - status's Ansible run alone (runStatus, what `nx run-many -t status` spends past Nx's start-up);
 * - a no-op deploy of hello-edge through the deploy executor (what `npm start` spends per rollout past its
 *   builds), and how much of it is the Ansible run.
 * Each figure is the median of --runs runs (default 3). One 4-node fleet; 1 and 2 nodes are --limit.
 * Run: node --import tsx bench/status.bench.ts [--runs N] [--keep-fleet]
 * Writes bench/results/status.json and bench/results/status.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetDown, fleetUp, type FleetInventory } from '@edgeship/edge-fleet';
import { testFleetName, captureOutput } from '@edgeship/edge-common/testing';
import deployExecutor from '@edgeship/edge-plugin/executors/deploy/deploy.impl';
import { contextFor, readReport } from '@edgeship/edge-plugin/executors/deploy/test/fleet-helpers';
import { writeReleaseVariant } from '@edgeship/edge-plugin/executors/deploy/test/release-variants';
import { normalizeStatusOptions } from '@edgeship/edge-plugin/executors/status/lib/normalize-status-options';
import { runStatus } from '@edgeship/edge-plugin/executors/status/lib/run-status';
import { runCommand } from '@edgeship/edge-common';

const WORKSPACE_ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
const SERVICE = 'hello-edge';
const NODE_COUNTS = [1, 2, 4];
const FLEET = testFleetName('status-bench');

interface StatusFigures {
  nodes: number;
  /** `npm run status` (every service of the workspace), whole command. */
  statusCommandSeconds: number;
  /** status.yml's Ansible run for every service, in process. */
  statusRunSeconds: number;
  /** The deploy executor on a node that already runs the release, whole executor call. */
  noopDeploySeconds: number;
  /** Of which the Ansible run of deploy.yml. */
  noopDeployRunSeconds: number;
  /** Of which, from the deploy report's timeline, the probe and the no-op check on the slowest node. */
  noopProbeSeconds: number;
  noopCheckSeconds: number;
  runs: number;
  measuredAt: string;
  load1m: number;
}

const round = (value: number) => Math.round(value * 100) / 100;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.floor(sorted.length / 2)]!);
};

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - started) / 1e9, result];
}

async function measure(
  inventory: FleetInventory,
  nodes: number,
  deployOptions: Record<string, unknown>,
  runs: number,
): Promise<StatusFigures> {
  const limit = inventory.hosts
    .slice(0, nodes)
    .map((host) => host.name)
    .join(',');
  const load1m = round(loadavg()[0]!);
  const command: number[] = [];
  const run: number[] = [];
  const deploy: number[] = [];
  const deployRun: number[] = [];
  const probe: number[] = [];
  const check: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [commandSeconds, result] = await timed(() =>
      runCommand(
        'node',
        ['--import', 'tsx', 'tools/scripts/status.ts', '--inventory', inventory.path, '--limit', limit],
        { cwd: WORKSPACE_ROOT, check: false },
      ),
    );
    if (result.exitCode !== 0)
      throw new Error(`npm run status on ${limit} failed:\n${result.stdout}${result.stderr}`);
    command.push(commandSeconds);
    const services = ['hello-edge', 'telemetry-gateway'].map((service) =>
      normalizeStatusOptions(
        { inventory: inventory.path, limit },
        { ...contextFor(service), projectName: service },
      ),
    );
    const [statusSeconds, report] = await timed(() => runStatus(services));
    if (report.rows.length !== nodes * services.length)
      throw new Error(`status read ${report.rows.length} rows`);
    run.push(statusSeconds);
    const reportFile = join(String(deployOptions['artifactDir']), `noop-${nodes}-${i}.json`);
    const [deploySeconds, deployed] = await timed(() =>
      captureOutput(() =>
        deployExecutor({ ...deployOptions, limit, report: reportFile }, contextFor(SERVICE)),
      ),
    );
    const written = await readReport(reportFile);
    if (!deployed.result.success || !written.nodes.every((node) => node.action === 'already deployed'))
      throw new Error(`the no-op deploy to ${limit} was not one: ${JSON.stringify(written.nodes)}`);
    deploy.push(deploySeconds);
    deployRun.push((written as unknown as { seconds: number }).seconds);
    const slowest = (step: string) =>
      Math.max(...written.nodes.map((node) => node.steps?.find((each) => each.step === step)?.seconds ?? 0));
    probe.push(slowest('probe'));
    check.push(slowest('check'));
  }
  return {
    nodes,
    statusCommandSeconds: median(command),
    statusRunSeconds: median(run),
    noopDeploySeconds: median(deploy),
    noopDeployRunSeconds: median(deployRun),
    noopProbeSeconds: median(probe),
    noopCheckSeconds: median(check),
    runs,
    measuredAt: new Date().toISOString(),
    load1m,
  };
}

function renderMarkdown(figures: StatusFigures[], machine: Record<string, string | number>): string {
  return [
    '# Status benchmark',
    '',
    '`status` on 1, 2 and 4 amd64 nodes of one local fleet (1 and 2 nodes with `--limit`) next to a no-op deploy',
    `of ${SERVICE} (every node already runs the release) to the same nodes. Medians of ${figures[0]?.runs ?? 0} runs.`,
    '',
    '- `npm run status`: the whole command as a person runs it (node and tsx start-up, one Ansible run of',
    '  status.yml reading every service of the workspace, the table).',
    '- status, Ansible run: the same read in process (what `nx run-many -t status` spends past Nx start-up).',
    '- no-op deploy: the deploy executor in process (artifact checks, one Ansible run of deploy.yml: the probe',
    '  and the controller-side no-op decision), then of that the Ansible run, and of that the probe and the',
    "  check on the slowest node (from the deploy report's timeline).",
    '',
    'Load is the 1-minute load average when a row started: the 2-core machine is shared.',
    '',
    `Machine: ${Object.entries(machine)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    '| nodes | `npm run status` | status, Ansible run | no-op deploy | no-op deploy, Ansible run | probe / check | measured | load |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...figures.map(
      (f) =>
        `| ${f.nodes} | ${f.statusCommandSeconds} s | ${f.statusRunSeconds} s | ${f.noopDeploySeconds} s | ${f.noopDeployRunSeconds} s | ${f.noopProbeSeconds} / ${f.noopCheckSeconds} s | ${f.measuredAt.slice(0, 16).replace('T', ' ')} | ${f.load1m} |`,
    ),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '3' }, 'keep-fleet': { type: 'boolean', default: false } },
  });
  const runs = Number(values.runs);
  const engine = (await runCommand('docker', ['version', '--format', '{{.Server.Version}}'])).stdout;
  const machine = { cpus: cpus().length, node: process.version, 'docker engine': engine.trim() };
  const workDir = await mkdtemp(join(tmpdir(), 'edgeship-status-bench-'));
  try {
    const { inventory } = await fleetUp({ name: FLEET, nodes: Math.max(...NODE_COUNTS), arch: 'amd64' });
    await runCommand('npx', ['nx', 'run', `${SERVICE}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    const version = `1.0.0-status-bench.${Date.now()}`;
    const artifactDir = await writeReleaseVariant({
      ...{ workspaceRoot: WORKSPACE_ROOT, service: SERVICE, version, archs: ['x64'], outDir: workDir },
    });
    const deployOptions = { inventory: inventory.path, artifactDir, version, delivery: 'binary' as const };
    // The release the no-op deploys find in place, on every node.
    const first = await deployExecutor(
      { ...deployOptions, report: join(artifactDir, 'first.json'), stabilityWindow: 2 },
      contextFor(SERVICE),
    );
    if (!first.success) throw new Error('the first deploy failed');
    const figures: StatusFigures[] = [];
    for (const nodes of NODE_COUNTS) {
      figures.push(await measure(inventory, nodes, deployOptions, runs));
      console.log(JSON.stringify(figures[figures.length - 1]));
    }
    await mkdir(RESULTS, { recursive: true });
    await writeFile(join(RESULTS, 'status.json'), `${JSON.stringify({ machine, figures }, null, 2)}\n`);
    await writeFile(join(RESULTS, 'status.md'), renderMarkdown(figures, machine));
    console.log(renderMarkdown(figures, machine));
  } finally {
    if (!values['keep-fleet']) await fleetDown(FLEET);
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
