/**
 * Nx start-up benchmark (issue 11, point 7), measured in one run on two throwaway copies of the
 * workspace whose tree is clean and whose base is HEAD, so nothing is affected:
 *   after   this workspace: nx.json names the precompiled plugin, .env turns plugin isolation off,
 *           the pipeline runner decides once what is affected
 *   before  the same copy with landed main's set-up (BEFORE_REVISION): nx.json names the TypeScript
 *           plugin, isolation on (Nx's default), the runner of that revision (one nx affected per stage)
 * Commands: `npx nx --version` (the floor), a no-op `npx nx affected -t format lock test bundle image`,
 * and a no-op `npm run pipeline` with EDGESHIP_SKIP_BOOTSTRAP=1 (npm's set-up step runs, the bootstrap
 * script does not). Each one --runs times, round-robin so a change of load hits every command alike;
 * medians, and ratios to `nx --version` of the same run. NX_DAEMON=false, as CI runs.
 * Run: node --import tsx bench/nx-startup.bench.ts [--runs 5] [--keep]
 * Writes bench/results/nx-startup.json and bench/results/nx-startup.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { reportError, logger } from '@edgeship/edge-common';
import { commitAll, copyWorkspaceToThrowawayRepo, git } from '@edgeship/edge-common/testing';

const RESULTS = join(__dirname, 'results');
const WORKSPACE = join(__dirname, '..');
/** Landed main before this work: TypeScript plugin, isolation on, one nx call per pipeline stage. */
const BEFORE_REVISION = '09fb78e';
const TARGETS = { affectedRatio: 2.5, pipelineRatio: 3 };
const AFFECTED = ['nx', 'affected', '-t', 'format', 'lock', 'test', 'bundle', 'image'];

type Setup = 'after' | 'after, a touched file' | 'before';

interface Command {
  name: string;
  /** Which copy: this workspace's set-up, the same with a file no stage reads, or landed main's. */
  setup: Setup;
  command: string[];
  env: Record<string, string>;
  /** Output that shows the run was the no-op it is meant to be. */
  expect?: RegExp;
  /** Rounds to time (all when unset); the old pipeline takes minutes a run, once is enough. */
  maxRounds?: number;
  samples: number[];
}

/** A clean copy; `before` gets landed main's nx.json plugin entry, no .env and its pipeline runner. */
function prepareCopy(setup: Setup): string {
  const root = copyWorkspaceToThrowawayRepo();
  if (setup === 'before') {
    const nxJsonPath = join(root, 'nx.json');
    const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8')) as { plugins: string[] };
    nxJson.plugins = ['./tools/edge-plugin'];
    writeFileSync(nxJsonPath, JSON.stringify(nxJson, null, 2) + '\n');
    rmSync(join(root, '.env'), { force: true });
    rmSync(join(root, 'tools/pipeline/src'), { recursive: true });
    const files = git(WORKSPACE, ['ls-tree', '-r', '--name-only', BEFORE_REVISION, 'tools/pipeline/src'])
      .split('\n')
      .filter(Boolean);
    for (const file of files) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), git(WORKSPACE, ['show', `${BEFORE_REVISION}:${file}`]));
    }
    commitAll(root, `bench: landed main's nx set-up (${BEFORE_REVISION})`);
  }
  if (setup === 'after, a touched file') {
    // Untracked, in no project: nx affected counts it as touched, and no task reads it.
    writeFileSync(join(root, 'NOTES.md'), 'a file no stage reads\n');
  }
  // The copy's lockfile is as old as the real one, so npm run's set-up finds node_modules current.
  const lockfile = statSync(join(WORKSPACE, 'package-lock.json'));
  utimesSync(join(root, 'package-lock.json'), lockfile.atime, lockfile.mtime);
  // The local fleet's inventory (ignored by git), where the deploy stage would go: the pipeline
  // refuses to start without one, and with nothing affected it is never read.
  mkdirSync(join(root, '.edgeship/fleet/default'), { recursive: true });
  writeFileSync(join(root, '.edgeship/fleet/default/inventory.yml'), 'all: {}\n');
  return root;
}

function baseEnv(): NodeJS.ProcessEnv {
  const {
    CI: _ci,
    NX_ISOLATE_PLUGINS: _iso,
    NX_BASE: _base,
    NX_HEAD: _head,
    EDGESHIP_INVENTORY: _inv,
    ...env
  } = process.env;
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', EDGESHIP_SKIP_BOOTSTRAP: '1' };
}

/** Wall time of one command in seconds; a failure or an unexpected outcome stops the benchmark. */
function timeCommand(root: string, command: Command): number {
  const [file, ...args] = command.command;
  const started = process.hrtime.bigint();
  const run = spawnSync(file === 'nx' ? 'npx' : file!, file === 'nx' ? command.command : args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...baseEnv(), ...command.env },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0 || (command.expect && !command.expect.test(output))) {
    throw new Error(
      `${command.name} (${command.setup}): exit ${run.status}, expected ${command.expect}\n${output.slice(-3000)}`,
    );
  }
  return seconds;
}

function defineCommands(): Command[] {
  const command = (
    name: string,
    setup: Command['setup'],
    argv: string[],
    env: Record<string, string> = {},
    expect?: RegExp,
  ): Command => ({ name, setup, command: argv, env, expect, samples: [] });
  const noTasks = /No tasks were run/;
  return [
    command('nx --version', 'after', ['nx', '--version']),
    command('no-op nx affected', 'after', AFFECTED, {}, noTasks),
    command(
      'no-op npm run pipeline',
      'after',
      ['npm', 'run', 'pipeline'],
      {},
      /no file changed\): no stage runs/,
    ),
    command(
      'no-op npm run pipeline',
      'after, a touched file',
      ['npm', 'run', 'pipeline'],
      {},
      /✔ nothing affected: no stage runs/,
    ),
    // Without npx: the nx binary itself, no npm start-up in either figure.
    command('nx --version, no npx', 'after', ['node_modules/.bin/nx', '--version']),
    command(
      'no-op nx affected, no npx',
      'after',
      ['node_modules/.bin/nx', ...AFFECTED.slice(1)],
      {},
      noTasks,
    ),
    // The two ideas apart: each one alone on top of landed main.
    command(
      'no-op nx affected, precompiled plugin, isolation on',
      'after',
      AFFECTED,
      { NX_ISOLATE_PLUGINS: 'true' },
      noTasks,
    ),
    command(
      'no-op nx affected, TypeScript plugin, isolation off',
      'before',
      AFFECTED,
      { NX_ISOLATE_PLUGINS: 'false' },
      noTasks,
    ),
    command('no-op nx affected', 'before', AFFECTED, {}, noTasks),
    {
      ...command('no-op npm run pipeline', 'before', ['npm', 'run', 'pipeline'], {}, /pipeline: [\d.]+ s/),
      maxRounds: 1,
    },
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '5' }, keep: { type: 'boolean', default: false } },
  });
  const runs = Number(values.runs);
  const loads = [loadavg()[0]!];
  const roots: Record<Setup, string> = {
    after: prepareCopy('after'),
    'after, a touched file': prepareCopy('after, a touched file'),
    before: prepareCopy('before'),
  };
  const commands = defineCommands();
  try {
    logger.step('warm-up: every command once, not counted (file cache, Nx workspace data, plugin bundle)');
    for (const command of commands) if (!command.maxRounds) timeCommand(roots[command.setup], command);
    for (let round = 1; round <= runs; round += 1) {
      logger.step(`round ${round}/${runs} (load ${loadavg()[0]!.toFixed(1)})`);
      for (const command of commands) {
        if (command.samples.length < (command.maxRounds ?? runs)) {
          command.samples.push(timeCommand(roots[command.setup], command));
        }
      }
      loads.push(loadavg()[0]!);
    }
  } finally {
    if (values.keep) logger.info(`kept ${roots.after} and ${roots.before}`);
    else for (const root of Object.values(roots)) rmSync(root, { recursive: true, force: true });
  }

  const floor = median(commands[0]!.samples);
  const rows = commands.map((c) => ({
    name: c.name,
    setup: c.setup,
    command: [...(c.command[0] === 'nx' ? ['npx'] : []), ...c.command].join(' '),
    rounds: c.samples.length,
    env: c.env,
    samples: c.samples.map(round2),
    medianSeconds: round2(median(c.samples)),
    ratioToVersion: round2(median(c.samples) / floor),
  }));
  const find = (name: string, setup: Setup) => rows.find((r) => r.name === name && r.setup === setup)!;
  const verdict = {
    affectedRatio: find('no-op nx affected', 'after').ratioToVersion,
    affectedTarget: TARGETS.affectedRatio,
    pipelineRatio: find('no-op npm run pipeline', 'after').ratioToVersion,
    pipelineTarget: TARGETS.pipelineRatio,
    pipelineWithTouchedFileRatio: find('no-op npm run pipeline', 'after, a touched file').ratioToVersion,
  };
  const results = {
    benchmark: 'nx-startup',
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      node: process.version,
      nx: readNxVersion(),
      // The machine is shared with other work: load varies, which is why ratios come from one run.
      load1: { before: round2(loads[0]!), max: round2(Math.max(...loads)), after: round2(loads.at(-1)!) },
    },
    workspaceCommit: git(WORKSPACE, ['rev-parse', '--short', 'HEAD']).trim(),
    beforeRevision: BEFORE_REVISION,
    runs,
    verdict: {
      ...verdict,
      isMet: verdict.affectedRatio <= TARGETS.affectedRatio && verdict.pipelineRatio <= TARGETS.pipelineRatio,
    },
    notes: [
      'after = this workspace: nx.json names tools/edge-plugin/src/plugins/compiled-plugin.js (the esbuild bundle of the plugin, rebuilt when stale), .env sets NX_ISOLATE_PLUGINS=false, the pipeline runner makes one nx affected --graph call and runs no stage when nothing is affected.',
      `before = the same copy with landed main's set-up (${BEFORE_REVISION}): nx.json names ./tools/edge-plugin (TypeScript, loaded through a transpiler), no .env (plugin isolation on), tools/pipeline/src of that revision (one nx affected call per stage, seven stages).`,
      'Both copies are one commit with a clean tree and the default base main = HEAD: nothing is affected. NX_DAEMON=false. npm run pipeline with EDGESHIP_SKIP_BOOTSTRAP=1: npm and tools/scripts/setup.mjs run, the bootstrap script does not; the local fleet inventory is a placeholder file, never read.',
      'after, a touched file = the after copy plus an untracked NOTES.md that no project holds: files changed, so the runner asks nx (one nx affected --graph call), which finds nothing affected. On a clean tree git alone answers that nothing changed, and no nx call is made.',
      'no npx = node_modules/.bin/nx called directly: the same work without npm start-up, which is most of npx nx --version.',
      'Every command ran once before the timed rounds (not counted), except the old pipeline, timed in the first round only (it takes minutes); times are wall-clock medians of the rounds.',
    ],
    commands: rows,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'nx-startup.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(RESULTS, 'nx-startup.md'), renderMarkdown(results));
  logger.table(
    rows.map((r) => ({
      setup: r.setup,
      command: r.name,
      median: `${r.medianSeconds} s`,
      'x version': r.ratioToVersion,
    })),
  );
  logger.done('bench/results/nx-startup.json, bench/results/nx-startup.md');
}

function readNxVersion(): string {
  return (
    JSON.parse(readFileSync(join(WORKSPACE, 'node_modules/nx/package.json'), 'utf8')) as { version: string }
  ).version;
}

function renderMarkdown(results: {
  date: string;
  machine: { cpus: number; node: string; nx: string; load1: { before: number; max: number; after: number } };
  workspaceCommit: string;
  runs: number;
  verdict: {
    affectedRatio: number;
    affectedTarget: number;
    pipelineRatio: number;
    pipelineTarget: number;
    pipelineWithTouchedFileRatio: number;
  };
  notes: string[];
  commands: {
    name: string;
    setup: string;
    command: string;
    env: Record<string, string>;
    samples: number[];
    medianSeconds: number;
    ratioToVersion: number;
  }[];
}): string {
  const { machine, verdict } = results;
  const lines = [
    '# Nx start-up benchmark',
    '',
    `${results.date}, workspace ${results.workspaceCommit}, ${machine.cpus} CPUs (shared: load1 ${machine.load1.before} ` +
      `before, up to ${machine.load1.max}, ${machine.load1.after} after), Node.js ${machine.node}, Nx ${machine.nx}; ` +
      `median of ${results.runs} rounds. Run: \`node --import tsx bench/nx-startup.bench.ts\`.`,
    '',
    `- no-op \`nx affected -t format lock test bundle image\`: **${verdict.affectedRatio}×** \`nx --version\` (target ≤ ${verdict.affectedTarget}×)`,
    `- no-op \`npm run pipeline\`: **${verdict.pipelineRatio}×** \`nx --version\` (target ≤ ${verdict.pipelineTarget}×); ` +
      `with a changed file no stage reads (one nx call decides): ${verdict.pipelineWithTouchedFileRatio}×`,
    '',
    '| set-up | command | median | × nx --version | rounds (s) |',
    '| --- | --- | ---: | ---: | --- |',
    ...results.commands.map(
      (c) =>
        `| ${c.setup} | ${c.name}${
          Object.keys(c.env).length
            ? ` (${Object.entries(c.env)
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')})`
            : ''
        } | ${c.medianSeconds} s | ${c.ratioToVersion} | ${c.samples.join(', ')} |`,
    ),
    '',
    ...results.notes.map((note) => `- ${note}`),
    '',
  ];
  return lines.join('\n');
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  process.exitCode = reportError(error);
});
