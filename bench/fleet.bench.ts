/**
 * Fleet benchmark: node image build (cold = rootfs from the archive, rootfs-cached = docker image
 * from the cached tarball, image-cached = nothing to do) and `up`/`down` of 1, 2 and 4 nodes.
 * Run: node --import tsx bench/fleet.bench.ts [--arch arm64|amd64]... [--skip-cold] [--skip-up]
 * Writes bench/results/fleet.json and bench/results/fleet.md. Heavy: an arm64 cold build takes minutes.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from '@edgeship/edge-common';
import { fleetDown, fleetUp } from '@edgeship/edge-fleet';
import type { FleetArch } from '@edgeship/edge-fleet/names';
import { ensureNodeImage } from '@edgeship/edge-fleet/node-image';
import { describeNodeImage, ROOTFS_CACHE_DIR } from '@edgeship/edge-fleet/node-image-spec';

interface ImageFigures {
  arch: FleetArch;
  tag: string;
  coldSeconds?: number;
  rootfsCachedSeconds: number;
  imageCachedSeconds: number;
  tarballMiB: number;
  imageMiB: number;
  measuredAt?: string;
  load1m?: number;
  coldMeasuredAt?: string;
  coldLoad1m?: number;
}

interface UpFigures {
  arch: FleetArch;
  nodes: number;
  upSeconds: number;
  upAgainSeconds: number;
  downSeconds: number;
  measuredAt?: string;
  load1m?: number;
}

const RESULTS = join(__dirname, 'results');
const UP_SIZES = [1, 2, 4];
const UP_FLEETS: Record<number, string> = { 1: 'fbench-one', 2: 'fbench-two', 4: 'fbench-four' };

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - started) / 1e9, result];
}

const round = (seconds: number) => Math.round(seconds * 10) / 10;

async function imageIdOf(tag: string): Promise<string> {
  const result = await runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', tag], {
    check: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() : '';
}

/** A rebuild moves the tag; drop the node image it left untagged (only when no container uses it). */
async function removeReplaced(tag: string, work: () => Promise<unknown>): Promise<void> {
  const before = await imageIdOf(tag);
  await work();
  if (before && before !== (await imageIdOf(tag))) {
    await runCommand('docker', ['image', 'rm', before], { check: false });
  }
}

async function benchImage(arch: FleetArch, cold: boolean): Promise<ImageFigures> {
  const { tag } = describeNodeImage(arch);
  let coldSeconds: number | undefined;
  if (cold) {
    // A private cache folder, so the cold run really starts from the archive and the shared cache is untouched.
    const scratch = await mkdtemp(join(ROOTFS_CACHE_DIR, '..', 'bench-cold-'));
    try {
      await removeReplaced(tag, async () => {
        [coldSeconds] = await timed(() => ensureNodeImage(arch, { cacheDir: scratch, rebuild: 'all' }));
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  let rootfsCachedSeconds = 0;
  await removeReplaced(tag, async () => {
    [rootfsCachedSeconds] = await timed(() => ensureNodeImage(arch, { rebuild: 'image' }));
  });
  const image = await ensureNodeImage(arch);
  const [imageCachedSeconds] = await timed(() => ensureNodeImage(arch));
  const tarball = await stat(join(ROOTFS_CACHE_DIR, image.spec.tarballName));
  const size = Number(
    (await runCommand('docker', ['image', 'inspect', '--format', '{{.Size}}', image.tag])).stdout,
  );
  return {
    arch,
    tag: image.tag,
    ...(coldSeconds === undefined ? {} : { coldSeconds: round(coldSeconds) }),
    rootfsCachedSeconds: round(rootfsCachedSeconds),
    imageCachedSeconds: round(imageCachedSeconds),
    tarballMiB: Math.round(tarball.size / 2 ** 20),
    imageMiB: Math.round(size / 2 ** 20),
  };
}

async function benchUp(arch: FleetArch, nodes: number): Promise<UpFigures> {
  const name = `${UP_FLEETS[nodes]}${arch === 'amd64' ? '-x' : ''}`;
  await fleetDown(name);
  try {
    const [upSeconds] = await timed(() => fleetUp({ name, nodes, arch }));
    const [upAgainSeconds] = await timed(() => fleetUp({ name, nodes, arch }));
    const [downSeconds] = await timed(() => fleetDown(name));
    return {
      arch,
      nodes,
      upSeconds: round(upSeconds),
      upAgainSeconds: round(upAgainSeconds),
      downSeconds: round(downSeconds),
    };
  } finally {
    await fleetDown(name);
  }
}

function renderMarkdown(
  images: ImageFigures[],
  ups: UpFigures[],
  machine: Record<string, string | number>,
): string {
  const lines = [
    '# Fleet benchmark',
    '',
    'Load is the 1-minute load average when a figure was taken: the 2-core machine is shared with other jobs.',
    '',
    `Machine: ${Object.entries(machine)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    '## Node image build',
    '',
    '| arch | cold (rootfs + image) | from cached rootfs | image cached | rootfs tar | image | load (cold / cached) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...images.map(
      (i) =>
        `| ${i.arch} | ${i.coldSeconds === undefined ? 'not run' : `${i.coldSeconds} s`} | ${i.rootfsCachedSeconds} s | ${i.imageCachedSeconds} s | ${i.tarballMiB} MiB | ${i.imageMiB} MiB | ${i.coldLoad1m ?? '-'} / ${i.load1m ?? '-'} |`,
    ),
    '',
    '## `up` (node image cached; until every node is `running` and answers ssh)',
    '',
    '| arch | nodes | up | up again (no-op) | down | load |',
    '| --- | --- | --- | --- | --- | --- |',
    ...ups.map(
      (u) =>
        `| ${u.arch} | ${u.nodes} | ${u.upSeconds} s | ${u.upAgainSeconds} s | ${u.downSeconds} s | ${u.load1m ?? '-'} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** Figures of arches not measured this run (or a cold build skipped with --skip-cold) are kept from the last run. */
async function readPrevious(): Promise<{ images: ImageFigures[]; up: UpFigures[] }> {
  try {
    return JSON.parse(await readFile(join(RESULTS, 'fleet.json'), 'utf8'));
  } catch {
    return { images: [], up: [] };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      arch: { type: 'string', multiple: true },
      'skip-cold': { type: 'boolean' },
      'skip-up': { type: 'boolean' },
    },
  });
  const arches = (values.arch ?? ['arm64']) as FleetArch[];
  const previous = await readPrevious();
  const images = previous.images.filter((i) => !arches.includes(i.arch));
  const ups = values['skip-up'] ? previous.up : previous.up.filter((u) => !arches.includes(u.arch));
  const engine = (await runCommand('docker', ['version', '--format', '{{.Server.Version}}'])).stdout;
  const machine = { cpus: cpus().length, node: process.version, 'docker engine': engine };
  // Saved after every figure, so a failure late in a long run keeps what was measured.
  const save = async () => {
    await mkdir(RESULTS, { recursive: true });
    await writeFile(
      join(RESULTS, 'fleet.json'),
      `${JSON.stringify({ machine, images, up: ups }, null, 2)}\n`,
    );
    await writeFile(join(RESULTS, 'fleet.md'), renderMarkdown(images, ups, machine));
  };

  for (const arch of arches) {
    const measuredAt = new Date().toISOString();
    const load1m = currentLoad();
    const figures = await benchImage(arch, !values['skip-cold']);
    const earlier = previous.images.find((i) => i.arch === arch && i.coldSeconds !== undefined);
    const cold =
      figures.coldSeconds === undefined && earlier
        ? {
            coldSeconds: earlier.coldSeconds,
            coldMeasuredAt: earlier.coldMeasuredAt,
            coldLoad1m: earlier.coldLoad1m,
          }
        : { coldMeasuredAt: measuredAt, coldLoad1m: load1m };
    images.push({ ...figures, ...cold, measuredAt, load1m: currentLoad() });
    await save();
  }
  if (!values['skip-up']) {
    for (const arch of arches) {
      for (const nodes of UP_SIZES) {
        const load1m = currentLoad();
        ups.push({ ...(await benchUp(arch, nodes)), measuredAt: new Date().toISOString(), load1m });
        await save();
      }
    }
  }
  console.log(renderMarkdown(images, ups, machine));
}

/** The machine is shared: the 1-minute load when a figure was taken says how comparable it is. */
function currentLoad(): number {
  return Math.round(loadavg()[0]! * 10) / 10;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
