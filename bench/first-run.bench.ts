/**
 * First-run benchmark: the README's `npm start` in a clean clone of HEAD, timed from the command to its
 * summary table, with nothing of edgeship's cached:
 *   - npm installs from its own empty cache (npm_config_cache), so every package comes from the registry;
 *   - the Node.js runtimes for the executables come from an empty EDGESHIP_CACHE_DIR;
 *   - the clone has no node_modules, and Nx's cache and workspace data are empty folders of its own (Nx 24
 *     keeps them per repository in ~/.nx, where every clone of edgeship would find the earlier builds);
 *   - the node images (edgeship-node:*) and the rootfs tarballs in /var/cache/edgeship/rootfs are deleted
 *     first: this is why the benchmark only runs with --reset, and never beside a running fleet.
 * The apt packages are whatever the machine has: the bootstrap's summary line, recorded with the figures, says
 * how many it installed. On a fresh machine, run this first and the figure is the whole first run.
 * The fleet is a fleet of its own (--fleet first-run), taken down at the end.
 * Run: node --import tsx bench/first-run.bench.ts --reset [--keep]
 * Writes bench/results/first-run.json and bench/results/first-run.md.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from '@edgeship/edge-common';
import { ROOTFS_CACHE_DIR } from '@edgeship/edge-fleet/node-image-spec';

const RESULTS = join(__dirname, 'results');
const WORKSPACE = join(__dirname, '..');
const FLEET = 'first-run';
/** The issue's target for the whole first run on a fresh machine of this kind. */
const TARGET_SECONDS = 8 * 60;

/** Steps npm start reports with their duration: `✔ <label> (<seconds> s)`, bootstrap's `summary: ... in <s>s`. */
const STEPS: { name: string; pattern: RegExp }[] = [
  { name: 'bootstrap', pattern: /^summary: .* in ([\d.]+)s$/m },
  { name: 'npm ci', pattern: /^✔ npm ci \(([\d.]+) s\)$/m },
  { name: 'node rootfs', pattern: /^✔ mmdebstrap .*\(([\d.]+) s\)$/m },
  { name: 'local fleet (rootfs, image, nodes up)', pattern: /^✔ local fleet .*\(([\d.]+) s\)$/m },
  { name: 'builds (beside the fleet)', pattern: /^✔ bundle .*\(([\d.]+) s\)$/m },
  { name: 'deploy', pattern: /^✔ deploy .*\(([\d.]+) s\)$/m },
];

interface FirstRun {
  revision: string;
  startedAt: string;
  seconds: number;
  exitCode: number;
  steps: Record<string, number | undefined>;
  bootstrapSummary: string;
  load1mBefore: number;
  load1mAfter: number;
  machine: Record<string, string | number>;
  log: string;
}

async function resetCaches(): Promise<void> {
  // On a fresh machine there is no docker yet (the bootstrap installs it), so no node image either.
  const listed = await runCommand(
    'docker',
    ['images', '--format', '{{.Repository}}:{{.Tag}}', 'edgeship-node'],
    {
      check: false,
    },
  ).catch(() => ({ exitCode: 1, stdout: '' }));
  const images = listed.exitCode === 0 ? listed.stdout.split('\n').filter(Boolean) : [];
  if (images.length) await runCommand('docker', ['image', 'rm', '--force', ...images]);
  await rm(ROOTFS_CACHE_DIR, { recursive: true, force: true });
}

/** npm start in the clone; its output goes to the log and, line by line, to this terminal. */
function npmStart(clone: string, env: NodeJS.ProcessEnv, log: string): Promise<number> {
  const child = spawn('npm', ['start', '--', '--fleet', FLEET], {
    cwd: clone,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = createWriteStream(log);
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(file, { end: false });
    stream.pipe(process.stdout, { end: false });
  }
  return new Promise((resolve) => child.on('close', (code) => file.end(() => resolve(code ?? 1))));
}

function renderMarkdown(run: FirstRun): string {
  const minutes = `${Math.floor(run.seconds / 60)} min ${Math.round(run.seconds % 60)} s`;
  return [
    '# First-run benchmark',
    '',
    "The README's `npm start` in a clean clone, from the command to the summary table, with empty npm, runtime,",
    'Nx, rootfs and node image caches (bench/first-run.bench.ts). Apt packages: as the bootstrap line says.',
    '',
    `Machine: ${Object.entries(run.machine)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}. Revision ${run.revision}, started ${run.startedAt}, load ${run.load1mBefore} / ${run.load1mAfter}.`,
    '',
    `**${run.seconds} s (${minutes})**, exit ${run.exitCode}; target ${TARGET_SECONDS} s: ` +
      `${run.seconds <= TARGET_SECONDS ? 'met' : 'not met'}.`,
    '',
    `Bootstrap: \`${run.bootstrapSummary}\``,
    '',
    '| step | seconds |',
    '| --- | --- |',
    ...Object.entries(run.steps).map(([name, seconds]) => `| ${name} | ${seconds ?? 'not reported'} |`),
    '',
    'The fleet and the builds run side by side, and npm ci beside the bootstrap: the steps overlap.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reset: { type: 'boolean' }, keep: { type: 'boolean' } } });
  if (!values.reset) {
    console.error(
      'first-run.bench deletes the node images and rootfs tarballs to measure a cold first run: pass --reset ' +
        '(and run it with no fleet of your own up).',
    );
    process.exitCode = 2;
    return;
  }
  const scratch = await mkdtemp(join(tmpdir(), 'edgeship-first-run-'));
  const clone = join(scratch, 'edgeship');
  const log = join(scratch, 'npm-start.log');
  try {
    await runCommand('git', ['clone', '--quiet', WORKSPACE, clone]);
    const revision = (
      await runCommand('git', ['rev-parse', '--short', 'HEAD'], { cwd: clone })
    ).stdout.trim();
    await resetCaches();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      npm_config_cache: join(scratch, 'npm-cache'),
      EDGESHIP_CACHE_DIR: join(scratch, 'edgeship-cache'),
      NX_CACHE_DIRECTORY: join(scratch, 'nx-cache'),
      NX_WORKSPACE_DATA_DIRECTORY: join(scratch, 'nx-workspace-data'),
      NX_DAEMON: 'false',
    };
    delete env['EDGESHIP_SKIP_BOOTSTRAP'];
    const startedAt = new Date().toISOString();
    const load1mBefore = currentLoad();
    const started = process.hrtime.bigint();
    const exitCode = await npmStart(clone, env, log);
    const seconds = Math.round(Number(process.hrtime.bigint() - started) / 1e8) / 10;
    const output = await readFile(log, 'utf8');
    const run: FirstRun = {
      revision,
      startedAt,
      seconds,
      exitCode,
      steps: Object.fromEntries(STEPS.map(({ name, pattern }) => [name, readSeconds(output, pattern)])),
      bootstrapSummary: /^summary: .*$/m.exec(output)?.[0] ?? 'not reported',
      load1mBefore,
      load1mAfter: currentLoad(),
      machine: { cpus: cpus().length, node: process.version },
      log: values.keep ? log : 'removed (--keep keeps it)',
    };
    await mkdir(RESULTS, { recursive: true });
    await writeFile(join(RESULTS, 'first-run.json'), `${JSON.stringify(run, null, 2)}\n`);
    await writeFile(join(RESULTS, 'first-run.md'), renderMarkdown(run));
    console.log(`\n${renderMarkdown(run)}`);
    if (exitCode !== 0) process.exitCode = 1;
  } finally {
    // The fleet's keys and inventory live in the clone's .edgeship/: down must run there.
    await runCommand('node', ['--import', 'tsx', 'tools/edge-fleet/src/cli.ts', 'down', '--name', FLEET], {
      cwd: clone,
      check: false,
    });
    if (!values.keep) await rm(scratch, { recursive: true, force: true });
  }
}

function readSeconds(output: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(output);
  return match ? Number(match[1]) : undefined;
}

/** The machine is shared: the 1-minute load around a figure says how comparable it is. */
function currentLoad(): number {
  return Math.round(loadavg()[0]! * 10) / 10;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
