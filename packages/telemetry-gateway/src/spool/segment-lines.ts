import { open } from 'node:fs/promises';

/** Readings are well under 1 KiB; a longer "line" is damage, so it is reported as corrupt instead of buffered. */
export const MAX_LINE_BYTES = 64 * 1024;
const CHUNK_BYTES = 64 * 1024;

export interface SegmentLine {
  /** The line without its newline; undefined when it was longer than MAX_LINE_BYTES (not kept in memory). */
  text: string | undefined;
  /** Byte offset of the line's first byte. */
  start: number;
  /** Byte offset just past its newline: where the next line starts. */
  end: number;
}

export interface LineRange {
  start?: number;
  /** Exclusive; lines that do not end before it are not yielded. */
  end?: number;
}

/**
 * The complete lines of a file between two byte offsets, read in fixed chunks so memory stays flat whatever the
 * file's size (one Buffer or string of a whole segment stops working around 2 GiB). Bytes after the last
 * newline are never yielded: they are a write that was not acknowledged, or one still in progress.
 */
export async function* readSegmentLines(path: string, range: LineRange = {}): AsyncGenerator<SegmentLine> {
  const end = range.end ?? Number.POSITIVE_INFINITY;
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let position = range.start ?? 0;
    let lineStart = position;
    let parts: Buffer[] = [];
    let partBytes = 0;
    while (position < end) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, end - position), position);
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      let from = 0;
      for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a, from)) {
        const lineBytes = partBytes + newline - from;
        const text =
          lineBytes > MAX_LINE_BYTES
            ? undefined
            : Buffer.concat([...parts, data.subarray(from, newline)]).toString('utf8');
        const lineEnd = position + newline + 1;
        yield { text, start: lineStart, end: lineEnd };
        lineStart = lineEnd;
        parts = [];
        partBytes = 0;
        from = newline + 1;
      }
      // The chunk buffer is reused, so a line that continues into the next chunk keeps a copy of its head.
      const rest = data.subarray(from);
      if (partBytes + rest.length <= MAX_LINE_BYTES) parts.push(Buffer.from(rest));
      partBytes += rest.length;
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
