/**
 * Scale benchmark: deploy wall time of a one-line change of hello-edge (its linux-x64 executable, an rsync
 * delta) to 1, 4, 8 and 16 nodes of one real amd64 fleet (amd64 nodes are cheap; the architecture does not
 * change what scales), with the default rollout (one canary node, then the rest at once), once with Ansible's
 * own default of 5 forks and once with the workspace's tuned `forks` (playbooks/ansible.cfg).
 * Where the time goes, per deploy: the controller's CPU (ansible-playbook and its workers: the children this
 * process waited for), the nodes' CPU (their containers' cgroups), and each node's rollout steps from the
 * deploy report (the probe is the first SSH connection and one module run; the health gate waits on the node).
 * And the whole machine's busy CPU over the deploy: the nodes share the controller's cores here, so that CPU over
 * the core count is the least wall time the deploy's work could take, however it were scheduled (the CPU floor).
 * Target (issue 16): 16 nodes in at most 2.5x the wall time of 1 node, with the tuned forks.
 * Run: node --import tsx bench/scale.bench.ts [--nodes 1,4,8,16] [--forks 5,20]
 * Writes bench/results/scale.json and bench/results/scale.md.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetDown, fleetUp, type FleetInventory } from '@edgeship/edge-fleet';
import { testFleetName } from '@edgeship/edge-common/testing';
import { runCommand } from '@edgeship/edge-common';
import deployExecutor from '@edgeship/edge-plugin/executors/deploy/deploy.impl';
import { contextFor, readReport } from '@edgeship/edge-plugin/executors/deploy/test/fleet-helpers';
import type { NodeOutcome } from '@edgeship/edge-plugin/executors/deploy/lib/deploy-report';
import { waitedChildrenCpuSeconds } from './lib/children-cpu';
import { machineBusyCpuSeconds } from './lib/machine-cpu';
import { writeX64Change } from './lib/x64-change';

const WORKSPACE_ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
const SERVICE = 'hello-edge';
const ANSIBLE_DEFAULT_FORKS = 5;
const STEPS = ['probe', 'check', 'preflight', 'install', 'switch', 'health gate'];

interface ScaleFigures {
  nodes: number;
  forks: number;
  seconds: number;
  /** CPU seconds of ansible-playbook and its workers on the controller. */
  controllerCpuSeconds: number;
  /** CPU seconds of all targeted nodes together (their containers' cgroups). */
  nodeCpuSeconds: number;
  /** Busy CPU seconds of the whole machine, all cores: the controller, the nodes and anything else running. */
  machineCpuSeconds: number;
  /** Per rollout step: the median over the nodes of its seconds on a node. */
  medianStepSeconds: Record<string, number>;
  load1m: number;
  measuredAt: string;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** CPU seconds a node container has used, from its cgroup (v1 cpuacct or v2 cpu.stat). */
async function containerCpuSeconds(container: string): Promise<number> {
  const id = (await runCommand('docker', ['inspect', '--format', '{{.Id}}', container])).stdout.trim();
  const candidates = [
    { file: `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, perSecond: 1e9 },
    { file: `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, perSecond: 1e6 },
    { file: `/sys/fs/cgroup/docker/${id}/cpu.stat`, perSecond: 1e6 },
  ];
  for (const { file, perSecond } of candidates) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const usage = /usage_usec (\d+)/.exec(text)?.[1] ?? text.trim();
    return Number(usage) / perSecond;
  }
  throw new Error(`no cgroup CPU figure found for ${container} (${id})`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function medianSteps(nodes: NodeOutcome[]): Record<string, number> {
  return Object.fromEntries(
    STEPS.map((step) => [
      step,
      round(
        median(
          nodes.flatMap((node) => node.steps?.filter((s) => s.step === step).map((s) => s.seconds) ?? []),
        ),
      ),
    ]),
  );
}

async function measureDeploy(
  inventory: FleetInventory,
  nodes: number,
  forks: number,
  artifactDir: string,
  version: string,
): Promise<ScaleFigures> {
  const hosts = inventory.hosts.slice(0, nodes);
  const reportFile = join(artifactDir, 'deploy-report.json');
  const load1m = round(loadavg()[0]!);
  const nodeCpuBefore = await Promise.all(hosts.map((host) => containerCpuSeconds(host.container)));
  const controllerCpuBefore = waitedChildrenCpuSeconds();
  const machineCpuBefore = machineBusyCpuSeconds();
  // ansible.cfg's forks, unless this run measures another figure (ANSIBLE_FORKS wins over the file).
  process.env['ANSIBLE_FORKS'] = String(forks);
  const started = process.hrtime.bigint();
  const result = await deployExecutor(
    {
      inventory: inventory.path,
      limit: hosts.map((host) => host.name).join(','),
      artifactDir,
      report: reportFile,
      version,
      allowUnsigned: true,
    },
    contextFor(SERVICE),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const machineCpuSeconds = machineBusyCpuSeconds() - machineCpuBefore;
  delete process.env['ANSIBLE_FORKS'];
  const report = await readReport(reportFile);
  if (!result.success) throw new Error(`deploy to ${nodes} node(s) failed: ${JSON.stringify(report.nodes)}`);
  const nodeCpuAfter = await Promise.all(hosts.map((host) => containerCpuSeconds(host.container)));
  return {
    nodes,
    forks,
    seconds: round(seconds),
    controllerCpuSeconds: round(waitedChildrenCpuSeconds() - controllerCpuBefore),
    nodeCpuSeconds: round(nodeCpuAfter.reduce((sum, cpu, i) => sum + cpu - nodeCpuBefore[i]!, 0)),
    machineCpuSeconds: round(machineCpuSeconds),
    medianStepSeconds: medianSteps(report.nodes),
    load1m,
    measuredAt: new Date().toISOString(),
  };
}

function tunedForks(): number {
  const cfg = readFileSync(join(WORKSPACE_ROOT, 'playbooks', 'ansible.cfg'), 'utf8');
  const forks = /^forks\s*=\s*(\d+)/m.exec(cfg)?.[1];
  if (!forks) throw new Error('playbooks/ansible.cfg sets no forks');
  return Number(forks);
}

function renderMarkdown(
  figures: ScaleFigures[],
  machine: { cpus: number } & Record<string, string | number>,
): string {
  const ratio = (row: ScaleFigures) => {
    const one = figures.find((f) => f.forks === row.forks && f.nodes === 1);
    return one ? `${round(row.seconds / one.seconds)}x` : '';
  };
  return [
    '# Scale benchmark',
    '',
    'A one-line change of hello-edge (linux-x64 executable, rsync delta) deployed to the first N nodes of one',
    'amd64 fleet of 16, default rollout (one canary node, then the rest at once), unsigned local build.',
    'x 1 node = wall time over the 1-node deploy of the same forks, measured in the same run.',
    'Controller CPU = ansible-playbook and its workers; node CPU = all targeted nodes together;',
    'steps = the median node (probe: SSH connection and one module run; health gate: waiting on the node).',
    'Machine CPU = the busy CPU of the whole machine over the deploy (the nodes run on the same cores here);',
    'CPU floor = machine CPU over the core count: no scheduling of that work on these cores takes less wall time.',
    `Target: 16 nodes in at most 2.5x the time of 1 node. Machine: ${Object.entries(machine)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    `| nodes | forks | wall time | x 1 node | controller CPU | node CPU | machine CPU | CPU floor | ${STEPS.join(' | ')} | load |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- | ${STEPS.map(() => '---').join(' | ')} | --- |`,
    ...figures.map(
      (f) =>
        `| ${f.nodes} | ${f.forks} | ${f.seconds} s | ${ratio(f)} | ${f.controllerCpuSeconds} s | ${f.nodeCpuSeconds} s | ${f.machineCpuSeconds} s | ${round(f.machineCpuSeconds / machine.cpus)} s | ${STEPS.map(
          (step) => `${f.medianStepSeconds[step] ?? 0} s`,
        ).join(' | ')} | ${f.load1m} |`,
    ),
    '',
  ].join('\n');
}

/** Node counts stop at the fleet's 16 nodes; forks at a bound no 2-core controller gets near. */
const MAX_NODES = 16;
const MAX_FORKS = 256;

function parseList(value: string | undefined, fallback: number[], flag: string, max: number): number[] {
  if (value === undefined) return fallback;
  const list = value.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1 || n > max)) {
    throw new Error(
      `${flag} is "${value}": give whole numbers from 1 to ${max}, comma-separated (e.g. 1,4,8).`,
    );
  }
  return list;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { nodes: { type: 'string' }, forks: { type: 'string' } } });
  const nodeCounts = parseList(values.nodes, [1, 4, 8, 16], '--nodes', MAX_NODES);
  const forksList = parseList(values.forks, [ANSIBLE_DEFAULT_FORKS, tunedForks()], '--forks', MAX_FORKS);
  const engine = (await runCommand('docker', ['version', '--format', '{{.Server.Version}}'])).stdout;
  const machine = { cpus: cpus().length, node: process.version, 'docker engine': engine.trim() };
  const fleet = testFleetName('sbench');
  const workDir = await mkdtemp(join(tmpdir(), 'edgeship-scale-bench-'));
  const figures: ScaleFigures[] = [];
  try {
    const { inventory } = await fleetUp({ name: fleet, nodes: Math.max(...nodeCounts), arch: 'amd64' });
    await runCommand('npx', ['nx', 'run', `${SERVICE}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    const base = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'packages', SERVICE, 'package.json'), 'utf8'))
      .version as string;
    const stamp = Date.now();
    const variant = async (tag: string) => {
      const version = `${base}-${tag}.${stamp}`;
      const artifactDir = await writeX64Change(WORKSPACE_ROOT, SERVICE, version, workDir);
      return { version, artifactDir };
    };
    // The starting point, not a figure: every node runs a release of the service.
    const setup = await variant('setup');
    await measureDeploy(inventory, inventory.hosts.length, tunedForks(), setup.artifactDir, setup.version);
    for (const forks of forksList) {
      for (const nodes of nodeCounts) {
        const change = await variant(`n${nodes}f${forks}`);
        const row = await measureDeploy(inventory, nodes, forks, change.artifactDir, change.version);
        figures.push(row);
        console.log(`${nodes} node(s), forks ${forks}: ${row.seconds} s (load ${row.load1m})`);
        // Saved after every figure, so a failure late in a long run keeps what was measured.
        await writeFile(
          join(RESULTS, 'scale.json'),
          JSON.stringify({ machine, deploys: figures }, null, 2) + '\n',
        );
        await writeFile(join(RESULTS, 'scale.md'), renderMarkdown(figures, machine));
      }
    }
  } finally {
    await fleetDown(fleet).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
  console.log(renderMarkdown(figures, machine));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
