import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { runCommand } from '@edgeship/edge-common';

/**
 * GNU tar flags for a byte-reproducible archive: sorted names, one mtime for every entry, numeric
 * owners (no host user names), GNU format (no PAX headers carrying atime/ctime), no xattrs or ACLs.
 * Entries are the top-level names inside sourceDir, so paths read "app/main.js", as in image layers.
 */
export function reproducibleTarArgs(
  sourceDir: string,
  output: string,
  epoch: number,
  entries: string[],
): string[] {
  return [
    '--create',
    `--file=${output}`,
    `--directory=${sourceDir}`,
    '--sort=name',
    `--mtime=@${epoch}`,
    '--numeric-owner',
    '--format=gnu',
    '--no-acls',
    '--no-xattrs',
    '--no-selinux',
    ...(entries.length > 0 ? ['--', ...entries] : ['--files-from=/dev/null']),
  ];
}

/** Extraction keeps owners and modes exactly (we run as root) and never resolves names on this host. */
export function extractTarArgs(archive: string, destination: string, members: string[] = []): string[] {
  return [
    '--extract',
    `--file=${archive}`,
    `--directory=${destination}`,
    '--numeric-owner',
    '--same-owner',
    '--same-permissions',
    ...members,
  ];
}

export async function createReproducibleTar(sourceDir: string, output: string, epoch: number): Promise<void> {
  const entries = (await readdir(sourceDir)).sort();
  await runCommand('tar', reproducibleTarArgs(sourceDir, output, epoch, entries));
}

export async function extractTar(
  archive: string,
  destination: string,
  members: string[] = [],
): Promise<void> {
  await runCommand('tar', extractTarArgs(archive, destination, members));
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

export function sha256Text(text: string | Buffer): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
