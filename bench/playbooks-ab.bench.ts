/**
 * Interleaved A/B of two revisions of playbooks/: deploy wall time and controller CPU of a one-line change of
 * hello-edge (its linux-x64 executable, an rsync delta) to the same N nodes of one real amd64 fleet, the base
 * revision's playbooks and the head's in turn, round after round. This machine is shared and noisy: only
 * deploys measured side by side, on the same fleet in the same state, tell a change of a few percent.
 * Each revision runs from a workspace root of its own: its playbooks/ read out of git (`git archive`), every
 * other top-level entry a link to this workspace. The working tree is never touched; `--head worktree` measures
 * its uncommitted playbooks/.
 * Run: node --import tsx bench/playbooks-ab.bench.ts --base <rev> [--head <rev>|worktree] [--nodes 16] [--rounds 2]
 * Writes bench/results/playbooks-ab.json and bench/results/playbooks-ab.md.
 */
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetDown, fleetUp, type FleetInventory } from '@edgeship/edge-fleet';
import { testFleetName } from '@edgeship/edge-common/testing';
import { runCommand } from '@edgeship/edge-common';
import deployExecutor from '@edgeship/edge-plugin/executors/deploy/deploy.impl';
import { contextFor } from '@edgeship/edge-plugin/executors/deploy/test/fleet-helpers';
import { waitedChildrenCpuSeconds } from './lib/children-cpu';
import { writeX64Change } from './lib/x64-change';

const WORKSPACE_ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
const SERVICE = 'hello-edge';
const MAX_NODES = 16;
const MAX_ROUNDS = 20;
const WORKTREE = 'worktree';

interface Side {
  label: string;
  /** The commit, or "worktree". */
  revision: string;
  root: string;
}

interface Deploy {
  side: string;
  round: number;
  seconds: number;
  controllerCpuSeconds: number;
  load1m: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

function wholeNumber(value: string | undefined, fallback: number, flag: string, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Error(`${flag} is "${value}": give a whole number from 1 to ${max}.`);
  }
  return n;
}

async function resolveRevision(rev: string, flag: string): Promise<string> {
  if (rev === WORKTREE) return WORKTREE;
  const found = await runCommand('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], {
    cwd: WORKSPACE_ROOT,
    check: false,
  });
  if (found.exitCode !== 0) {
    throw new Error(
      `${flag} "${rev}" is not a commit of this repository: give a revision git rev-parse knows.`,
    );
  }
  return found.stdout.trim();
}

/** A workspace root whose playbooks/ is the revision's; everything else links to this workspace. */
async function workspaceFor(revision: string): Promise<string> {
  if (revision === WORKTREE) return WORKSPACE_ROOT;
  const root = await mkdtemp(join(tmpdir(), 'edgeship-playbooks-ab-'));
  for (const entry of await readdir(WORKSPACE_ROOT)) {
    if (entry !== 'playbooks' && entry !== '.git')
      await symlink(join(WORKSPACE_ROOT, entry), join(root, entry));
  }
  // The revision is a full commit id from rev-parse and root a fresh temporary directory: safe in a shell line.
  await runCommand('bash', ['-c', `set -o pipefail; git archive ${revision} playbooks | tar -x -C ${root}`], {
    cwd: WORKSPACE_ROOT,
  });
  return root;
}

async function deployOnce(
  inventory: FleetInventory,
  nodes: number,
  side: Side,
  workDir: string,
  version: string,
): Promise<{ seconds: number; controllerCpuSeconds: number; load1m: number }> {
  const artifactDir = await writeX64Change(WORKSPACE_ROOT, SERVICE, version, workDir);
  const load1m = round2(loadavg()[0]!);
  const cpuBefore = waitedChildrenCpuSeconds();
  const started = process.hrtime.bigint();
  const result = await deployExecutor(
    {
      // Through the side's root (its .edgeship links to this workspace's): the local fleet is the one under the
      // root the deploy runs from, the only inventory an unsigned build may go to.
      inventory: join(side.root, relative(WORKSPACE_ROOT, inventory.path)),
      limit: inventory.hosts
        .slice(0, nodes)
        .map((host) => host.name)
        .join(','),
      artifactDir,
      report: join(artifactDir, 'deploy-report.json'),
      version,
      allowUnsigned: true,
    },
    contextFor(SERVICE, side.root),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!result.success) throw new Error(`deploy ${version} with the ${side.label} playbooks failed`);
  return {
    seconds: round2(seconds),
    controllerCpuSeconds: round2(waitedChildrenCpuSeconds() - cpuBefore),
    load1m,
  };
}

function renderMarkdown(sides: Side[], nodes: number, deploys: Deploy[]): string {
  const of = (side: Side) => deploys.filter((d) => d.side === side.label);
  const [base, head] = sides as [Side, Side];
  const ratio = (pick: (d: Deploy) => number) => round2(mean(of(head).map(pick)) / mean(of(base).map(pick)));
  return [
    '# Playbooks A/B benchmark',
    '',
    `A one-line change of hello-edge deployed to ${nodes} amd64 node(s) of one fleet, default rollout, forks from`,
    "each side's ansible.cfg; the base's and the head's playbooks/ in turn, each round on the same fleet.",
    `base = ${base.revision}, head = ${head.revision}.`,
    `Mean head / base: wall time ${ratio((d) => d.seconds)}x, controller CPU ${ratio((d) => d.controllerCpuSeconds)}x.`,
    '',
    '| round | side | wall time | controller CPU | load |',
    '| --- | --- | --- | --- | --- |',
    ...deploys.map(
      (d) => `| ${d.round} | ${d.side} | ${d.seconds} s | ${d.controllerCpuSeconds} s | ${d.load1m} |`,
    ),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      nodes: { type: 'string' },
      rounds: { type: 'string' },
    },
  });
  if (!values.base)
    throw new Error('--base is required: the revision whose playbooks/ the head is measured against.');
  const nodes = wholeNumber(values.nodes, MAX_NODES, '--nodes', MAX_NODES);
  const rounds = wholeNumber(values.rounds, 2, '--rounds', MAX_ROUNDS);
  const revisions = [
    await resolveRevision(values.base, '--base'),
    await resolveRevision(values.head ?? 'HEAD', '--head'),
  ];
  const sides: Side[] = [];
  const fleet = testFleetName('abbench');
  const workDir = await mkdtemp(join(tmpdir(), 'edgeship-playbooks-ab-work-'));
  const deploys: Deploy[] = [];
  try {
    for (const [i, revision] of revisions.entries()) {
      sides.push({ label: i === 0 ? 'base' : 'head', revision, root: await workspaceFor(revision) });
    }
    const { inventory } = await fleetUp({ name: fleet, nodes, arch: 'amd64' });
    await runCommand('npx', ['nx', 'run', `${SERVICE}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    const base = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'packages', SERVICE, 'package.json'), 'utf8'))
      .version as string;
    const stamp = Date.now();
    // The starting point, not a figure: every node runs a release of the service, installed by the head.
    await deployOnce(inventory, nodes, sides[1]!, workDir, `${base}-setup.${stamp}`);
    for (let r = 1; r <= rounds; r++) {
      for (const side of sides) {
        const figure = await deployOnce(
          inventory,
          nodes,
          side,
          workDir,
          `${base}-${side.label}${r}.${stamp}`,
        );
        deploys.push({ side: side.label, round: r, ...figure });
        console.log(
          `round ${r}, ${side.label}: ${figure.seconds} s, controller CPU ${figure.controllerCpuSeconds} s`,
        );
        // Saved after every figure, so a failure late in a long run keeps what was measured.
        await writeFile(
          join(RESULTS, 'playbooks-ab.json'),
          JSON.stringify(
            { nodes, sides: sides.map(({ label, revision }) => ({ label, revision })), deploys },
            null,
            2,
          ) + '\n',
        );
        await writeFile(join(RESULTS, 'playbooks-ab.md'), renderMarkdown(sides, nodes, deploys));
      }
    }
  } finally {
    await fleetDown(fleet).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
    for (const side of sides) {
      if (side.root !== WORKSPACE_ROOT) await rm(side.root, { recursive: true, force: true });
    }
  }
  console.log(renderMarkdown(sides, nodes, deploys));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
