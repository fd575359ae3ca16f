/**
 * Rootfs benchmark: a cold node rootfs build (archive → configured tree → tarball) per arch, the way
 * the fleet builds it now (mmdebstrap) and the way it did before (debootstrap), in the same run, so the
 * shared machine's load weighs on both; compare the ratio rather than the seconds.
 * Run: node --import tsx bench/rootfs.bench.ts [--arch arm64|amd64]... [--skip <words in a way's name>]...
 * Writes bench/results/rootfs.json and bench/results/rootfs.md. Builds into scratch folders beside the
 * rootfs cache and deletes them; the cached tarballs the fleet uses are untouched.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from '@edgeship/edge-common';
import type { FleetArch } from '@edgeship/edge-fleet/names';
import { describeNodeImage, ROOTFS_CACHE_DIR } from '@edgeship/edge-fleet/node-image-spec';
import { buildRootfsTarball, MMDEBSTRAP, type RootfsBootstrapper } from '@edgeship/edge-fleet/rootfs';
import { DEBOOTSTRAP } from './lib/debootstrap-rootfs';
import { runMmdebstrap } from '@edgeship/edge-fleet/mmdebstrap';

/** mmdebstrap without the host's shortcuts (ca-certificates, Python, SSH host keys): every script under emulation. */
const MMDEBSTRAP_ALL_EMULATED: RootfsBootstrapper = {
  tool: 'mmdebstrap, all maintainer work emulated',
  run: (spec, rootfs, archiveUri) => runMmdebstrap(spec, rootfs, archiveUri, { hostShortcuts: false }),
};

interface BuildFigures {
  arch: FleetArch;
  tool: string;
  seconds: number;
  tarballMiB: number;
  packages: string[];
  startedAt: string;
  /** When the benchmark run that made this figure started: ratios are only fair within one run. */
  run?: string;
  load1mBefore: number;
  load1mAfter: number;
}

const RESULTS = join(__dirname, 'results');
/**
 * The first is the fleet's way; each other is measured against it. The new way goes first: if a later build
 * profits from warm caches, that favours the old ways.
 */
const BOOTSTRAPPERS: RootfsBootstrapper[] = [MMDEBSTRAP, MMDEBSTRAP_ALL_EMULATED, DEBOOTSTRAP];

const RUN = new Date().toISOString();

async function benchBuild(arch: FleetArch, bootstrapper: RootfsBootstrapper): Promise<BuildFigures> {
  const spec = describeNodeImage(arch);
  const scratch = await mkdtemp(join(ROOTFS_CACHE_DIR, '..', `bench-rootfs-${bootstrapper.tool}-`));
  try {
    const startedAt = new Date().toISOString();
    const load1mBefore = currentLoad();
    const started = process.hrtime.bigint();
    const tarball = await buildRootfsTarball(spec, scratch, bootstrapper);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const load1mAfter = currentLoad();
    return {
      arch,
      tool: bootstrapper.tool,
      seconds: Math.round(seconds * 10) / 10,
      tarballMiB: Math.round((await stat(tarball)).size / 2 ** 20),
      packages: await listPackages(tarball),
      startedAt,
      run: RUN,
      load1mBefore,
      load1mAfter,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The installed packages, read from the tarball: both ways must give the node the same system. */
async function listPackages(tarball: string): Promise<string[]> {
  const { stdout } = await runCommand('tar', ['-xOf', tarball, './var/lib/dpkg/status']);
  return [...stdout.matchAll(/^Package: (\S+)$/gm)].map((match) => match[1]!).sort();
}

function renderMarkdown(builds: BuildFigures[], machine: Record<string, string | number>): string {
  const arches = [...new Set(builds.map((b) => b.arch))];
  const lines = [
    '# Rootfs benchmark',
    '',
    'A cold node rootfs build (from the Debian archive to the configured tarball, no docker image), each',
    'way in the same run on a shared 2-core machine: compare the ratio. Load is the 1-minute load average',
    'before / after a build. arm64 runs its maintainer scripts under QEMU user emulation.',
    '',
    `Machine: ${Object.entries(machine)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    '| arch | tool | cold rootfs | rootfs tar | packages | load | started |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...builds.map(
      (b) =>
        `| ${b.arch} | ${b.tool} | ${b.seconds} s | ${b.tarballMiB} MiB | ${b.packages.length} | ${b.load1mBefore} / ${b.load1mAfter} | ${b.startedAt} |`,
    ),
    '',
  ];
  for (const arch of arches) {
    const [now, ...others] = BOOTSTRAPPERS.map((t) =>
      builds.find((b) => b.arch === arch && b.tool === t.tool),
    );
    for (const before of others) {
      if (!now || !before) continue;
      const onlyBefore = before.packages.filter((p) => !now.packages.includes(p));
      const onlyNow = now.packages.filter((p) => !before.packages.includes(p));
      lines.push(
        `${arch}: ${now.tool} takes ${Math.round((now.seconds / before.seconds) * 100)} % of ${before.tool}'s time ` +
          `(${(before.seconds / now.seconds).toFixed(1)}× faster); packages only with ${before.tool}: ` +
          `${onlyBefore.join(', ') || 'none'}; only with ${now.tool}: ${onlyNow.join(', ') || 'none'}` +
          `${now.run && now.run === before.run ? '' : ' (not measured in the same run: compare with care)'}.`,
        '',
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { arch: { type: 'string', multiple: true }, skip: { type: 'string', multiple: true } },
  });
  const arches = (values.arch ?? ['arm64', 'amd64']) as FleetArch[];
  // --skip <words>: leave out the ways whose name contains them (a cold arm64 build takes minutes each).
  const ways = BOOTSTRAPPERS.filter((way) => !(values.skip ?? []).some((words) => way.tool.includes(words)));
  const machine = { cpus: cpus().length, node: process.version };
  // A way or arch not built in this run keeps its earlier figure, marked by its start time and load.
  const builds: BuildFigures[] = (await readEarlierBuilds()).filter(
    (b) => !(arches.includes(b.arch) && ways.some((way) => way.tool === b.tool)),
  );
  // Saved after every build, so a failure late in a long run keeps what was measured.
  const save = async () => {
    await mkdir(RESULTS, { recursive: true });
    await writeFile(join(RESULTS, 'rootfs.json'), `${JSON.stringify({ machine, builds }, null, 2)}\n`);
    await writeFile(join(RESULTS, 'rootfs.md'), renderMarkdown(builds, machine));
  };
  for (const arch of arches) {
    for (const bootstrapper of ways) {
      builds.push(await benchBuild(arch, bootstrapper));
      await save();
    }
  }
  console.log(renderMarkdown(builds, machine));
}

async function readEarlierBuilds(): Promise<BuildFigures[]> {
  try {
    const earlier = JSON.parse(await readFile(join(RESULTS, 'rootfs.json'), 'utf8')) as {
      builds: BuildFigures[];
    };
    return earlier.builds.filter((b) => BOOTSTRAPPERS.some((way) => way.tool === b.tool));
  } catch {
    return [];
  }
}

/** The machine is shared: the 1-minute load around a figure says how comparable it is. */
function currentLoad(): number {
  return Math.round(loadavg()[0]! * 10) / 10;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
