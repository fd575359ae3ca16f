import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCommand } from '@edgeship/edge-common';
import { MEDIA_TYPES } from './oci-image';
import { sha256File } from './reproducible-tar';

export type Compression = 'zstd' | 'gzip';

export interface LayerBlob {
  path: string;
  digest: string;
  size: number;
  mediaType: string;
}

export const DEFAULT_LEVELS: Record<Compression, number> = { zstd: 19, gzip: 9 };

/**
 * zstd in multi-threaded mode (-T0) gives the same bytes for any thread count, so the digest does
 * not depend on the machine's cores; gzip -n leaves out the file name and time.
 */
export function compressArgs(
  compression: Compression,
  level: number,
  input: string,
  output: string,
): string[] {
  if (compression === 'zstd') {
    return ['-q', '-f', `-${level}`, ...(level > 19 ? ['--ultra'] : []), '-T0', '-o', output, input];
  }
  return ['--no-name', '--keep', '--force', `-${level}`, input]; // writes <input>.gz beside it
}

/** Cache entry name: the uncompressed content plus how it is compressed decide the compressed bytes. */
export function blobCacheName(diffId: string, compression: Compression, level: number): string {
  return `${diffId.replace('sha256:', '')}.${compression}-${level}`;
}

/**
 * Compresses a layer tar. Shared layers (base, runtime: 100 MB of Node.js takes a minute or two at
 * zstd -19) are compressed once per machine and kept in <cacheRoot>/layers, keyed by their diff id.
 */
export async function compressLayer(
  tar: string,
  diffId: string,
  compression: Compression,
  level: number,
  cacheDir: string | undefined,
): Promise<LayerBlob> {
  const mediaType = MEDIA_TYPES[compression];
  const cached = cacheDir ? join(cacheDir, blobCacheName(diffId, compression, level)) : undefined;
  if (cached && existsSync(cached)) {
    return { path: cached, digest: await sha256File(cached), size: (await stat(cached)).size, mediaType };
  }
  const output = `${tar}.${compression}`;
  if (compression === 'zstd') {
    await runCommand('zstd', compressArgs(compression, level, tar, output), { timeoutMs: 30 * 60_000 });
  } else {
    await runCommand('gzip', compressArgs(compression, level, tar, output), { timeoutMs: 30 * 60_000 });
    await rename(`${tar}.gz`, output);
  }
  let path = output;
  if (cached) {
    await mkdir(dirname(cached), { recursive: true });
    const partial = `${cached}.partial-${process.pid}`;
    await moveFile(output, partial);
    await chmod(partial, 0o644);
    await rename(partial, cached); // atomic: parallel builds of two services may race to fill the same entry
    path = cached;
  }
  return { path, digest: await sha256File(path), size: (await stat(path)).size, mediaType };
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await runCommand('cp', ['--reflink=auto', from, to]);
    await rm(from, { force: true });
  }
}
