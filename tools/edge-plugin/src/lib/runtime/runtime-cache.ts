import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { hashFile } from '../sha256';
import type { SeaArch } from './arch';

/** Survives fresh clones on the same machine; ~100 MB per runtime is worth not fetching again. */
export const MACHINE_CACHE_ROOT = '/var/cache/edgeship';

export interface RuntimeCachePaths {
  dir: string;
  node: string;
  /** Which npm tarball the entry came from (package and integrity), for people reading the cache. */
  source: string;
}

/**
 * EDGESHIP_CACHE_DIR wins; else the machine cache when we may write there; else the workspace's
 * gitignored .edgeship/cache (non-root developers).
 */
export function resolveCacheRoot(
  env: NodeJS.ProcessEnv,
  workspaceRoot: string,
  isWritable: (dir: string) => boolean = isWritableDir,
): string {
  const fromEnv = env['EDGESHIP_CACHE_DIR']?.trim();
  if (fromEnv) return resolve(workspaceRoot, fromEnv);
  if (isWritable(MACHINE_CACHE_ROOT)) return MACHINE_CACHE_ROOT;
  return join(workspaceRoot, '.edgeship', 'cache');
}

export function runtimeCachePaths(cacheRoot: string, version: string, arch: SeaArch): RuntimeCachePaths {
  const dir = join(cacheRoot, 'node', `${version}-${arch}`);
  return {
    dir,
    node: join(dir, 'node'),
    source: join(dir, 'source.json'),
  };
}

/**
 * `sha256:<hex>` of the cached binary, hashed on every use and compared by the caller with the repository's
 * pin: a checksum file beside it would prove nothing, whoever can alter the binary can rewrite that file too.
 */
export async function readCachedDigest(paths: RuntimeCachePaths): Promise<string | undefined> {
  if (!existsSync(paths.node)) return undefined;
  return `sha256:${await hashFile(paths.node)}`;
}

function isWritableDir(dir: string): boolean {
  for (let candidate = dir; ; candidate = dirname(candidate)) {
    if (existsSync(candidate)) {
      try {
        accessSync(candidate, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    }
    if (candidate === dirname(candidate)) return false;
  }
}
