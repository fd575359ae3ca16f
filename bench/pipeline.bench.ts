/**
 * Pipeline benchmark (issue 7, point 5), measured in one run on a throwaway copy of the workspace,
 * its own registry and a local fleet:
 *   cold       the whole pipeline for every service (nx run-many --all), empty Nx cache, no dist/
 *   no change  the pipeline again on the same commit: nx affected since the commit just shipped
 *   one line   a one-line change in one service's source, committed: nx affected since the previous commit
 *   (--warm-all adds: every service again with a warm cache: run-many --all)
 * Wall time of the `tools/pipeline` process and the tasks Nx actually executed (not cache hits).
 * Run: node --import tsx bench/pipeline.bench.ts [--nodes 2] [--arch arm64|amd64] [--warm-all] [--keep]
 * Writes bench/results/pipeline.json and bench/results/pipeline.md. Heavy: the cold run builds,
 * releases and deploys every service.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetDown, fleetUp } from '@edgeship/edge-fleet';
import {
  testFleetName,
  commitAll,
  copyWorkspaceToThrowawayRepo,
  git,
  startRegistry,
} from '@edgeship/edge-common/testing';
import { reportError, logger } from '@edgeship/edge-common';
import { readPipelineReport, runPipelineCli, type PipelineReport } from '../pipelines/test/pipeline-harness';

const RESULTS = join(__dirname, 'results');
const CHANGED_SERVICE = 'hello-edge';
const CHANGED_FILE = `packages/${CHANGED_SERVICE}/src/app.ts`;

interface Scenario {
  name: string;
  command: string;
  wallSeconds: number;
  tasks: number;
  cacheHits: number;
  executed: number;
  executedTasks: string[];
  stages: { stage: string; tasks: number; cacheHits: number; executed: number; seconds: number }[];
}

function toScenario(name: string, args: string[], wallSeconds: number, report: PipelineReport): Scenario {
  return {
    name,
    command: `npm run pipeline -- ${args.filter((a) => a !== '--json').join(' ')}`.trim(),
    wallSeconds: round(wallSeconds),
    tasks: report.tasks,
    cacheHits: report.cacheHits,
    executed: report.executed,
    executedTasks: report.stages.flatMap((s) => s.executedTasks),
    stages: report.stages.map((s) => ({
      stage: s.stage,
      tasks: s.tasks.length,
      cacheHits: s.cachedTasks.length,
      executed: s.executedTasks.length,
      seconds: s.seconds,
    })),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '2' },
      arch: { type: 'string', default: 'arm64' },
      'warm-all': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const nodes = Number(values.nodes);
  const loadBefore = loadavg()[0]!;
  const root = copyWorkspaceToThrowawayRepo();
  const fleetName = testFleetName('pipe-bench', root);
  const registry = await startRegistry({ dir: join(root, '.edgeship', 'registry'), deletes: true });
  const scenarios: Scenario[] = [];
  try {
    const fleetStarted = Date.now();
    const fleet = await fleetUp({ name: fleetName, nodes, arch: values.arch, workspaceRoot: root });
    const fleetSeconds = (Date.now() - fleetStarted) / 1000;
    const env = { EDGESHIP_REGISTRY: registry.host };
    const measure = (name: string, args: string[]) => {
      logger.step(`${name}: npm run pipeline -- ${args.join(' ')}`);
      const run = runPipelineCli(root, [...args, '--inventory', fleet.inventoryPath, '--json'], env);
      appendFileSync(join(root, 'bench-pipeline.log'), `\n=== ${name}\n${run.stderr}`);
      const scenario = toScenario(name, args, run.wallSeconds, readPipelineReport(run));
      logger.done(
        `${name}: ${scenario.wallSeconds} s, ${scenario.executed} task(s) executed, ${scenario.cacheHits} cache hit(s)`,
      );
      scenarios.push(scenario);
    };

    measure('cold: every service, empty Nx cache', ['--all']);
    measure('no change: affected since the shipped commit', ['--base', 'HEAD', '--head', 'HEAD']);
    const source = readFileSync(join(root, CHANGED_FILE), 'utf8');
    writeFileSync(join(root, CHANGED_FILE), source.replace(/\n$/, '\n// benchmark: a one-line change\n'));
    commitAll(root, `bench: one-line change in ${CHANGED_SERVICE}`);
    measure(`one line in ${CHANGED_SERVICE}: affected since the previous commit`, [
      '--base',
      'HEAD~1',
      '--head',
      'HEAD',
    ]);
    if (values['warm-all']) measure('warm: every service again, warm Nx cache', ['--all']);

    const results = {
      benchmark: 'pipeline',
      date: new Date().toISOString(),
      // The machine is shared: its load during the run says how far the figures are from an idle one.
      machine: {
        cpus: cpus().length,
        node: process.version,
        load1Before: round(loadBefore),
        load1After: round(loadavg()[0]!),
      },
      workspaceCommit: git(join(__dirname, '..'), ['rev-parse', '--short', 'HEAD']).trim(),
      fleet: { nodes, arch: values.arch, upSeconds: round(fleetSeconds) },
      notes: [
        'cold = empty Nx cache and no dist/ in a fresh copy; machine-level caches stay warm (Node.js runtime ' +
          'tarballs and Debian base layers under /var/cache/edgeship, npm cache, docker build cache).',
        'executed = tasks Nx ran (cache hits excluded), summed over the stages; release and deploy are never cached.',
        'cache hits in a cold run are tasks an earlier stage of the same run already ran (bundle depends on lock, image on bundle, ...): each stage is its own nx call.',
        `the one-line change appends a comment to ${CHANGED_FILE}.`,
      ],
      scenarios,
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'pipeline.json'), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(join(RESULTS, 'pipeline.md'), renderMarkdown(results));
    logger.table(
      scenarios.map((s) => ({
        scenario: s.name,
        'wall s': s.wallSeconds,
        executed: s.executed,
        'cache hits': s.cacheHits,
      })),
    );
    logger.done('bench/results/pipeline.json, bench/results/pipeline.md');
  } finally {
    await registry.stop();
    if (values.keep) logger.info(`kept ${root} and fleet ${fleetName}`);
    else {
      await fleetDown(fleetName, { workspaceRoot: root }).catch((error: unknown) => reportError(error));
      rmSync(root, { recursive: true, force: true });
    }
  }
}

function renderMarkdown(results: {
  date: string;
  machine: { cpus: number; node: string; load1Before: number; load1After: number };
  workspaceCommit: string;
  fleet: { nodes: number; arch: string; upSeconds: number };
  notes: string[];
  scenarios: Scenario[];
}): string {
  const lines = [
    '# Pipeline benchmark',
    '',
    `${results.date}, workspace ${results.workspaceCommit}, ${results.machine.cpus} CPUs (shared: load ` +
      `${results.machine.load1Before} before, ${results.machine.load1After} after), Node.js ${results.machine.node}; ` +
      `fleet of ${results.fleet.nodes} ${results.fleet.arch} nodes (up in ${results.fleet.upSeconds} s, not counted). ` +
      'Run: `node --import tsx bench/pipeline.bench.ts`.',
    '',
    '| scenario | wall time | tasks executed | cache hits | executed tasks |',
    '| --- | ---: | ---: | ---: | --- |',
    ...results.scenarios.map(
      (s) =>
        `| ${s.name} | ${s.wallSeconds} s | ${s.executed} | ${s.cacheHits} | ${s.executedTasks.join(', ') || '(none)'} |`,
    ),
    '',
    '## Per stage (seconds / executed / cache hits)',
    '',
    `| stage | ${results.scenarios.map((s) => s.name.split(':')[0]).join(' | ')} |`,
    `| --- | ${results.scenarios.map(() => '---:').join(' | ')} |`,
    ...(results.scenarios[0]?.stages ?? []).map(
      (stage) =>
        `| ${stage.stage} | ${results.scenarios
          .map((s) => s.stages.find((x) => x.stage === stage.stage))
          .map((x) => (x ? `${x.seconds} s / ${x.executed} / ${x.cacheHits}` : '-'))
          .join(' | ')} |`,
    ),
    '',
    ...results.notes.map((note) => `- ${note}`),
    '',
  ];
  return lines.join('\n');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

main().catch((error: unknown) => {
  process.exitCode = reportError(error);
});
