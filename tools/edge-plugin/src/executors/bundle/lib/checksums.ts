import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { hashFile } from './runtime-cache';

/**
 * Writes <dir>/SHA256SUMS (sha256sum's format) for the executables built into it: the deploy checks each
 * node's copy against the checksum recorded at build time, so a file changed after the build is refused.
 */
export async function writeChecksums(dir: string, files: readonly string[]): Promise<string> {
  const lines = await Promise.all(files.map(async (file) => `${await hashFile(file)}  ${basename(file)}\n`));
  const sums = join(dir, 'SHA256SUMS');
  await writeFile(sums, lines.sort((a, b) => a.slice(66).localeCompare(b.slice(66))).join(''));
  return sums;
}
