import { readFile, truncate } from 'node:fs/promises';

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

export async function readSegment(path: string, keepLast: number): Promise<SegmentContents> {
  const buffer = await readFile(path);
  const validBytes = buffer.lastIndexOf(0x0a) + 1;
  const lines = buffer.subarray(0, validBytes).toString('utf8').split('\n').filter(Boolean);
  const tail: unknown[] = [];
  let corruptLines = 0;
  // Only the last lines can reach the in-memory tail; older ones are counted without being parsed.
  for (const line of keepLast > 0 ? lines.slice(-keepLast) : []) {
    try {
      tail.push(JSON.parse(line));
    } catch {
      corruptLines += 1;
    }
  }
  return { validBytes, tornBytes: buffer.length - validBytes, records: lines.length, corruptLines, tail };
}

/** Cuts a torn last line so the next append starts on a fresh line instead of gluing onto the fragment. */
export async function truncateTornTail(path: string, contents: SegmentContents): Promise<void> {
  if (contents.tornBytes > 0) await truncate(path, contents.validBytes);
}
