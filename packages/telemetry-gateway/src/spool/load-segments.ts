import type { Logger } from '@edgeship/service-kit';
import { readSegment, truncateTornTail } from './read-segment';
import { listSegmentSeqs, resolveSegmentPath, type SegmentInfo } from './segment-files';

export interface LoadedSegments {
  segments: SegmentInfo[];
  /** The newest `keepLast` records over all segments, oldest first. */
  tail: unknown[];
}

/**
 * Open-time recovery: every segment streamed once, a torn last line cut from the newest segment (the only one
 * that was being written) so the next append starts on a fresh line, and damage reported rather than fatal.
 */
export async function loadSegments(dir: string, keepLast: number, log: Logger): Promise<LoadedSegments> {
  const seqs = await listSegmentSeqs(dir);
  const segments: SegmentInfo[] = [];
  const tail: unknown[] = [];
  for (const [index, seq] of seqs.entries()) {
    const path = resolveSegmentPath(dir, seq);
    const contents = await readSegment(path, keepLast);
    if (contents.tornBytes > 0) {
      log.warn('dropping torn last line', { file: path, tornBytes: contents.tornBytes });
      if (index === seqs.length - 1) await truncateTornTail(path, contents);
    }
    if (contents.corruptLines > 0)
      log.warn('skipping corrupt lines', { file: path, lines: contents.corruptLines });
    segments.push({ seq, path, bytes: contents.validBytes, records: contents.records });
    tail.push(...contents.tail);
    tail.splice(0, Math.max(0, tail.length - keepLast));
  }
  return { segments, tail };
}
