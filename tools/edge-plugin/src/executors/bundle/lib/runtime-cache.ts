import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { SeaArch } from './arch';

/** Survives fresh clones on the same machine; ~100 MB per runtime is worth not fetching again. */
export const MACHINE_CACHE_ROOT = '/var/cache/edgeship';

export interface RuntimeCachePaths {
  dir: string;
  node: string;
  checksum: string;
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
    checksum: join(dir, 'node.sha256'),
    source: join(dir, 'source.json'),
  };
}

export function formatChecksum(sha256: string): string {
  return `${sha256}  node\n`;
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A cached runtime counts only if its recorded checksum still matches: a torn or edited file is fetched again. */
export async function isRuntimeCached(paths: RuntimeCachePaths): Promise<boolean> {
  if (!existsSync(paths.node) || !existsSync(paths.checksum)) return false;
  const recorded = (await readFile(paths.checksum, 'utf8')).split(/\s+/)[0];
  return recorded === (await hashFile(paths.node));
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
