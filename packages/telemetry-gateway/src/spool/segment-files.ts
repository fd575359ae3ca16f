import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Zero-padded so that name order is append order, for `ls` as much as for us. */
const SEGMENT_NAME = /^segment-(\d{12})\.jsonl$/;

export interface SegmentInfo {
  seq: number;
  path: string;
  bytes: number;
  records: number;
}

export function formatSegmentName(seq: number): string {
  return `segment-${String(seq).padStart(12, '0')}.jsonl`;
}

/** Sequence numbers of the spool's segment files, oldest first; other files in the directory are left alone. */
export async function listSegmentSeqs(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((name) => SEGMENT_NAME.exec(name)?.[1])
    .filter((seq): seq is string => seq !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export function resolveSegmentPath(dir: string, seq: number): string {
  return join(dir, formatSegmentName(seq));
}

/** A created or removed file is only durable once its directory entry is; fsync the directory for that. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
