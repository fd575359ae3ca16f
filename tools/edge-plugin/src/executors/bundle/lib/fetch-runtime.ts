import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '@edgeship/edge-common';
import type { SeaArch } from './arch';
import { downloadRuntime, type RuntimeRequest } from './download-runtime';
import { readCachedDigest, runtimeCachePaths, type RuntimeCachePaths } from './runtime-cache';
import { PINS_FIELD, requireRuntimePin, type RuntimePin, type RuntimePins } from './runtime-pins';

export type { RuntimeRequest } from './download-runtime';

/**
 * Returns the path of the stripped runtime, fetching it into the cache once per version and arch. The entry is
 * hashed against the repository's pin on every call: one altered on disk is reported and fetched again.
 */
export async function ensureRuntime(
  request: RuntimeRequest,
): Promise<{ node: string; isFromCache: boolean }> {
  // No pin, no fetch: nothing downloaded could be checked.
  const pin = requireRuntimePin(request.pins, request.version, request.arch, request.pinFile);
  const paths = runtimeCachePaths(request.cacheRoot, request.version, request.arch);
  const cached = await readCachedDigest(paths);
  if (cached === pin.strippedNode) return { node: paths.node, isFromCache: true };
  if (cached !== undefined) {
    logger.warn(
      `runtime cache entry ${paths.node} has ${cached}, not the ${pin.strippedNode} that ${request.pinFile} ` +
        `(${PINS_FIELD}) records for Node.js ${request.version} ${request.arch}: it was altered on disk. Fetching it again.`,
    );
  }
  await mkdir(join(request.cacheRoot, 'node'), { recursive: true });
  // Fill a private folder, then rename it into place: a crash or a parallel run never leaves a half cache entry.
  const work = await mkdtemp(join(request.cacheRoot, 'node', `.tmp-${request.version}-${request.arch}-`));
  try {
    await downloadRuntime(request, work, pin);
    await chmod(work, 0o755); // mkdtemp makes it 0700; other users of the machine cache read it too
    await placeEntry(work, paths, pin);
    const placed = await readCachedDigest(paths);
    if (placed !== pin.strippedNode)
      throw new Error(
        `runtime cache entry ${paths.node} has ${placed} right after it was written, not ${pin.strippedNode}`,
      );
    return { node: paths.node, isFromCache: false };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Another run may have filled the same entry meanwhile: keep it if it is the pinned one, replace anything else.
 * A broken entry that cannot be removed (another user's cache) fails with its path and the fix.
 */
async function placeEntry(work: string, paths: RuntimeCachePaths, pin: RuntimePin): Promise<void> {
  if ((await readCachedDigest(paths)) === pin.strippedNode) return;
  try {
    await rm(paths.dir, { recursive: true, force: true });
    await rename(work, paths.dir);
  } catch (error) {
    if ((await readCachedDigest(paths)) === pin.strippedNode) return;
    throw new Error(
      `cannot replace the runtime cache entry ${paths.dir} (${(error as Error).message}). Remove that folder ` +
        '(its owner or root can), or point EDGESHIP_CACHE_DIR at a cache folder of your own, then run again.',
    );
  }
}

/** The runtimes to inject plus the one that runs here to write the blob, each fetched at most once. */
export async function ensureRuntimes(
  runtime: { version: string; pins: RuntimePins },
  archs: readonly SeaArch[],
  blobArch: SeaArch,
  cacheRoot: string,
): Promise<{ runtimes: Partial<Record<SeaArch, string>>; blobRuntime: string; fetched: SeaArch[] }> {
  const { version, pins } = runtime;
  const all = [...new Set([...archs, blobArch])];
  // Every pin is checked before the first download, so a missing one fails fast and names all it lacks.
  for (const arch of all) requireRuntimePin(pins, version, arch, 'package.json');
  const found: Partial<Record<SeaArch, string>> = {};
  const fetched: SeaArch[] = [];
  for (const arch of all) {
    const entry = await ensureRuntime({ version, arch, cacheRoot, pinFile: 'package.json', pins });
    found[arch] = entry.node;
    if (!entry.isFromCache) fetched.push(arch);
  }
  const runtimes = Object.fromEntries(archs.map((arch) => [arch, found[arch]!]));
  return { runtimes, blobRuntime: found[blobArch]!, fetched };
}
