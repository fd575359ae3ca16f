/**
 * Image benchmark, per service (default: hello-edge and telemetry-gateway):
 *  - build time of the image executor: cold (arm64; empty machine caches via EDGESHIP_CACHE_DIR, so the
 *    base is built from Debian packages, Node.js fetched and its layer compressed with zstd -19; no
 *    builder cache) and warm (arm64 + amd64; after a one-line change of the bundle, caches warm);
 *  - sizes per layer, compressed (zstd -19 as shipped, and gzip -9) and uncompressed;
 *  - the same against a conventional image built here the usual way (Debian bookworm arm64 minbase,
 *    slimmed like debian:bookworm-slim, + Debian's nodejs + production node_modules), gzip as docker pushes.
 * Run: node --import tsx bench/image.bench.ts [--service hello-edge]... [--skip-cold] [--skip-conventional]
 * Writes bench/results/image.json and bench/results/image.md. Heavy: a cold build compresses 100 MB of
 * Node.js at zstd -19 (minutes on 2 cores); the conventional base needs a debootstrap under QEMU once.
 */
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import imageExecutor from '@edgeship/edge-plugin/executors/image/image.impl';
import { removeImageTag } from '@edgeship/edge-plugin/executors/image/lib/docker-engine';
import {
  readImageRecord,
  type PlatformImageRecord,
} from '@edgeship/edge-plugin/executors/image/lib/image-record';
import { runCommand } from '@edgeship/edge-common';
import { executorContext } from '@edgeship/edge-common/testing';
import { buildConventionalImage, ensureConventionalRootfs } from './lib/conventional-image';
import { measureEngineImage, type LayerSize } from './lib/image-sizes';

const ROOT = join(__dirname, '..');
const MiB = 1024 * 1024;
const { values: args } = parseArgs({
  options: {
    service: { type: 'string', multiple: true, default: ['hello-edge', 'telemetry-gateway'] },
    'skip-cold': { type: 'boolean', default: false },
    'skip-conventional': { type: 'boolean', default: false },
    /** Re-render image.md from image.json (e.g. after a change of this report's layout). */
    'render-only': { type: 'boolean', default: false },
    note: { type: 'string' },
  },
});

interface BuildRun {
  seconds: number;
  platforms: string[];
}

async function buildImage(
  service: string,
  options: Record<string, unknown>,
): Promise<{ seconds: number; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), `edgeship-bench-image-${service}-`));
  const started = Date.now();
  const result = await imageExecutor(
    { repository: `edgeship-bench/${service}`, outputPath: dir, ...options },
    executorContext(ROOT, service, `packages/${service}`),
  );
  if (!result.success) throw new Error(`image build of ${service} failed (${JSON.stringify(options)})`);
  return { seconds: (Date.now() - started) / 1000, dir };
}

/** A copy of the bundle with one line changed: what a code change gives the warm build to do. */
async function changedBundle(service: string, run: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeship-bench-bundle-'));
  await cp(join(ROOT, 'dist', service, 'bundle'), dir, { recursive: true });
  await appendFile(join(dir, 'main.js'), `\n// bench change ${run} ${Date.now()}\n`);
  return dir;
}

async function benchService(service: string) {
  await runCommand(join(ROOT, 'node_modules/.bin/nx'), ['run', `${service}:bundle`], {
    cwd: ROOT,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    timeoutMs: 20 * 60_000,
  });
  let cold: BuildRun | undefined;
  if (!args['skip-cold']) {
    const cache = await mkdtemp(join(tmpdir(), 'edgeship-bench-cold-cache-'));
    process.env['EDGESHIP_CACHE_DIR'] = cache;
    try {
      const built = await buildImage(service, { platforms: ['linux/arm64'], noCache: true });
      cold = { seconds: built.seconds, platforms: ['linux/arm64'] };
      await rm(built.dir, { recursive: true, force: true });
    } finally {
      delete process.env['EDGESHIP_CACHE_DIR'];
      await rm(cache, { recursive: true, force: true });
    }
  }
  const warm: BuildRun[] = [];
  let images: PlatformImageRecord[] = [];
  for (const run of [1, 2]) {
    const bundle = await changedBundle(service, run);
    const built = await buildImage(service, { bundlePath: bundle });
    warm.push({ seconds: built.seconds, platforms: ['linux/arm64', 'linux/amd64'] });
    images = (await readImageRecord(built.dir)).images;
    await rm(built.dir, { recursive: true, force: true });
    await rm(bundle, { recursive: true, force: true });
  }
  const gzipBuild = await buildImage(service, {
    platforms: ['linux/arm64'],
    compression: 'gzip',
    load: false,
  });
  const gzipImage = (await readImageRecord(gzipBuild.dir)).images[0]!;
  await rm(gzipBuild.dir, { recursive: true, force: true });
  for (const image of images) await removeImageTag(image.tag);
  return { service, cold, warm, images, gzipArm64: gzipImage };
}

async function benchConventional(service: string) {
  const rootfs = await ensureConventionalRootfs();
  const started = Date.now();
  const tag = await buildConventionalImage(ROOT, service, rootfs.tarball);
  const seconds = (Date.now() - started) / 1000;
  const layers = await measureEngineImage(tag);
  await removeImageTag(tag);
  return { service, tag, rootfsSeconds: rootfs.seconds, buildSeconds: seconds, layers };
}

const mib = (bytes: number) =>
  bytes < MiB ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / MiB).toFixed(2)} MiB`;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  if (args['render-only']) {
    const saved = JSON.parse(await readFile(join(__dirname, 'results', 'image.json'), 'utf8')) as Parameters<
      typeof renderMarkdown
    >[0];
    if (args.note) saved.note = args.note;
    await writeFile(join(__dirname, 'results', 'image.json'), `${JSON.stringify(saved, null, 2)}\n`);
    await writeFile(join(__dirname, 'results', 'image.md'), renderMarkdown(saved));
    return;
  }
  const loadBefore = loadavg()[0];
  const services: Awaited<ReturnType<typeof benchService>>[] = [];
  const conventional: Awaited<ReturnType<typeof benchConventional>>[] = [];
  for (const service of args.service!) {
    services.push(await benchService(service));
    if (!args['skip-conventional']) conventional.push(await benchConventional(service));
  }
  const packageJson = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    edgeship: { runtime: { node: string } };
  };
  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    note: args.note,
    runtime: packageJson.edgeship.runtime.node,
    services: services.map((s) => ({
      ...s,
      comparison: conventional.find((c) => c.service === s.service),
    })),
  };
  await mkdir(join(__dirname, 'results'), { recursive: true });
  await writeFile(join(__dirname, 'results', 'image.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(__dirname, 'results', 'image.md'), renderMarkdown(results));
  console.log(renderMarkdown(results));
}

function renderMarkdown(results: {
  measuredAt: string;
  machine: { cores: number; cpu?: string; node: string };
  loadAverage?: { before?: number; after?: number };
  note?: string;
  runtime: string;
  services: (Awaited<ReturnType<typeof benchService>> & {
    comparison?: Awaited<ReturnType<typeof benchConventional>>;
  })[];
}): string {
  const lines = [
    '# Image benchmark',
    '',
    `Measured ${results.measuredAt} on ${results.machine.cores} cores (${results.machine.cpu}), edge runtime Node.js ${results.runtime}.`,
    `Command: \`node --import tsx bench/image.bench.ts${args.service!.map((s) => ` --service ${s}`).join('')}\`.`,
    `1-minute load average: ${results.loadAverage ? `${results.loadAverage.before?.toFixed(1)} before, ${results.loadAverage.after?.toFixed(1)} after` : 'not recorded'} (the machine is shared; timings are wall clock).`,
    ...(results.note ? ['', results.note] : []),
    '',
    "## Build time (image executor, `docker buildx` with the engine's BuildKit)",
    '| service | cold arm64 (empty caches, no builder cache) | warm arm64 + amd64 after a code change (2 runs) |',
    '| --- | ---: | ---: |',
    ...results.services.map(
      (s) =>
        `| ${s.service} | ${s.cold ? `${s.cold.seconds.toFixed(1)} s` : 'skipped'} | ${s.warm.map((w) => `${w.seconds.toFixed(1)} s`).join(', ')} |`,
    ),
    '',
    '## Sizes per layer (as shipped: zstd -19; uncompressed)',
  ];
  for (const s of results.services) {
    for (const image of s.images) {
      lines.push(
        '',
        `### ${s.service} ${image.platform} — ${image.manifestDigest}`,
        '| layer | zstd -19 | uncompressed |',
        '| --- | ---: | ---: |',
      );
      for (const layer of image.layers)
        lines.push(`| ${layer.role} | ${mib(layer.size)} | ${mib(layer.uncompressedSize)} |`);
      lines.push(`| **total** | **${mib(image.compressedSize)}** | **${mib(image.uncompressedSize)}** |`);
    }
  }
  lines.push(
    '',
    '## Against a conventional image (arm64: Debian bookworm minbase slimmed + Debian nodejs + node_modules)',
  );
  lines.push(
    '| service | ours zstd | ours gzip -9 | conventional gzip -6 (docker push) | ratio zstd/conv | ratio gzip/conv | ours uncompressed | conventional uncompressed | ratio |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of results.services) {
    const ours = s.images[0]!;
    const conv = s.comparison?.layers;
    if (!conv) continue;
    const convGzip = sum(conv.map((l: LayerSize) => l.gzip6));
    const convRaw = sum(conv.map((l: LayerSize) => l.uncompressed));
    lines.push(
      `| ${s.service} | ${mib(ours.compressedSize)} | ${mib(s.gzipArm64.compressedSize)} | ${mib(convGzip)} | ${(ours.compressedSize / convGzip).toFixed(2)} | ${(s.gzipArm64.compressedSize / convGzip).toFixed(2)} | ${mib(ours.uncompressedSize)} | ${mib(convRaw)} | ${(ours.uncompressedSize / convRaw).toFixed(2)} |`,
    );
  }
  for (const s of results.services) {
    if (!s.comparison) continue;
    lines.push(
      '',
      `Conventional ${s.service} layers (buildx build ${s.comparison.buildSeconds.toFixed(1)} s with its root filesystem cached${s.comparison.rootfsSeconds ? `, debootstrap ${s.comparison.rootfsSeconds.toFixed(0)} s` : ''}):`,
      '| step | gzip -6 | uncompressed |',
      '| --- | ---: | ---: |',
    );
    for (const layer of s.comparison.layers)
      lines.push(
        `| \`${layer.createdBy.replace(/\|/g, '\\|').slice(0, 60)}\` | ${mib(layer.gzip6)} | ${mib(layer.uncompressed)} |`,
      );
  }
  const arm64 = results.services.map((s) => s.images.find((i) => i.platform === 'linux/arm64')!);
  const shared = arm64[0] ? sum(arm64[0].layers.filter((l) => l.role !== 'service').map((l) => l.size)) : 0;
  lines.push(
    '',
    '## What a registry or edge node stores for all services (arm64, zstd)',
    `Base + runtime layers are byte-identical across services: ${mib(shared)} once, then per service only its own layer (${arm64.map((i, n) => `${results.services[n]!.service} ${mib(i.layers.find((l) => l.role === 'service')!.size)}`).join(', ')}).`,
    '',
    '## Goals (hello-edge, arm64)',
  );
  const hello = results.services
    .find((s) => s.service === 'hello-edge')
    ?.images.find((i) => i.platform === 'linux/arm64');
  if (hello) {
    lines.push(
      `- total under 35 MB compressed: ${mib(hello.compressedSize)} (${(hello.compressedSize / 1e6).toFixed(1)} MB) — ${hello.compressedSize < 35e6 ? 'met' : 'NOT met'}`,
    );
    const own = hello.layers.find((l) => l.role === 'service')!.size;
    lines.push(
      `- service-only layer under 1 MB: ${(own / 1024).toFixed(1)} KiB — ${own < 1e6 ? 'met' : 'NOT met'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
