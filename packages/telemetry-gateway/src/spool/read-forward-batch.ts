import type { ForwardPosition } from './forward-position';
import type { SegmentInfo } from './segment-files';
import { readSegmentLines } from './segment-lines';

/** A spooled reading as sent upstream: its stable id first, then the stored fields. */
export type ForwardedReading = { id: string } & Record<string, unknown>;

export interface ForwardBatch {
  readings: ForwardedReading[];
  /** Where the position moves once the upstream acknowledged this batch. */
  end: ForwardPosition;
  /** Lines passed over because they are not a JSON object (damaged storage). */
  corruptLines: number;
}

/**
 * The id is "<segment>:<byte offset>": the same reading gets the same id on every retry and after a restart,
 * so an upstream that remembers ids can drop the rare re-send (a crash between its 2xx and our fsync).
 */
export function formatReadingId(seq: number, offset: number): string {
  return `${seq}:${offset}`;
}

/** Up to `maxRecords` readings of one segment from `from`, never past `segment.bytes` (what is fsynced). */
export async function readForwardBatch(
  segment: SegmentInfo,
  from: ForwardPosition,
  maxRecords: number,
): Promise<ForwardBatch> {
  const readings: ForwardedReading[] = [];
  const end = { ...from };
  let corruptLines = 0;
  for await (const line of readSegmentLines(segment.path, { start: from.offset, end: segment.bytes })) {
    end.offset = line.end;
    if (line.text === '') continue;
    end.lines += 1;
    const record = parseRecord(line.text);
    if (record) readings.push({ id: formatReadingId(segment.seq, line.start), ...record });
    else corruptLines += 1;
    if (readings.length >= maxRecords) break;
  }
  return { readings, end, corruptLines };
}

function parseRecord(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
