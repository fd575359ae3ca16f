import { stat, truncate } from 'node:fs/promises';
import { RecentBuffer } from './recent-buffer';
import { readSegmentLines } from './segment-lines';

export interface SegmentContents {
  /** Bytes up to and including the last newline: everything that was ever acknowledged. */
  validBytes: number;
  /** Bytes after the last newline: a write torn by a crash or power loss, never acknowledged. */
  tornBytes: number;
  records: number;
  /** Lines of the parsed tail that are not JSON (damaged storage): skipped, counted so the operator sees them. */
  corruptLines: number;
  /** The last `keepLast` parsed records, oldest first. */
  tail: unknown[];
}

/** Streams the segment once: counts its lines and parses only the last `keepLast`, whatever its size. */
export async function readSegment(path: string, keepLast: number): Promise<SegmentContents> {
  const { size } = await stat(path);
  const lastLines = keepLast > 0 ? new RecentBuffer<string | undefined>(keepLast) : undefined;
  let validBytes = 0;
  let records = 0;
  for await (const line of readSegmentLines(path, { end: size })) {
    validBytes = line.end;
    if (line.text === '') continue;
    records += 1;
    lastLines?.push(line.text);
  }
  const tail: unknown[] = [];
  let corruptLines = 0;
  for (const text of lastLines?.readLast(keepLast) ?? []) {
    try {
      if (text === undefined) throw new Error('line too long');
      tail.push(JSON.parse(text));
    } catch {
      corruptLines += 1;
    }
  }
  return { validBytes, tornBytes: size - validBytes, records, corruptLines, tail };
}

/** Cuts a torn last line so the next append starts on a fresh line instead of gluing onto the fragment. */
export async function truncateTornTail(path: string, contents: SegmentContents): Promise<void> {
  if (contents.tornBytes > 0) await truncate(path, contents.validBytes);
}
