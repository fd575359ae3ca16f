import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from './segment-files';

/**
 * How far the upstream has acknowledged: every line of the segments before `seq`, and the first `lines` lines
 * (`offset` bytes) of segment `seq`. A position whose segment is gone means "from the next segment on".
 */
export interface ForwardPosition {
  seq: number;
  offset: number;
  lines: number;
}

export const FORWARD_POSITION_FILE = 'forward-position.json';

export function isPositionAfter(a: ForwardPosition, b: ForwardPosition): boolean {
  return a.seq > b.seq || (a.seq === b.seq && a.offset > b.offset);
}

function isForwardPosition(value: unknown): value is ForwardPosition {
  const fields = value as Record<string, unknown> | null;
  return ['seq', 'offset', 'lines'].every(
    (key) => Number.isSafeInteger(fields?.[key]) && Number(fields?.[key]) >= 0,
  );
}

/**
 * undefined when nothing was ever acknowledged. A damaged file (it is replaced atomically, so only damaged
 * storage does that) also gives undefined after `onDamaged`: re-sending everything spooled is a duplicate the
 * upstream can recognise by reading id; refusing to start would lose what arrives meanwhile.
 */
export async function loadForwardPosition(
  dir: string,
  onDamaged: (reason: string) => void,
): Promise<ForwardPosition | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, FORWARD_POSITION_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isForwardPosition(parsed)) return { seq: parsed.seq, offset: parsed.offset, lines: parsed.lines };
    onDamaged('fields seq, offset, lines are not non-negative integers');
  } catch (error) {
    onDamaged((error as Error).message);
  }
  return undefined;
}

/** Write a temporary file, fsync it, rename it over the old one, fsync the directory: old or new, never torn. */
export async function saveForwardPosition(dir: string, position: ForwardPosition): Promise<void> {
  const path = join(dir, FORWARD_POSITION_FILE);
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', 0o640);
  try {
    await handle.writeFile(JSON.stringify(position) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncDirectory(dir);
}

/**
 * Where forwarding resumes on open, given the segments found on disk (oldest first): the saved position if its
 * segment is still there, else the start of the next segment (the saved one was fully acknowledged and removed,
 * or dropped because the spool was full), else the start of a segment after all of them.
 */
export function resolveResumePosition(
  saved: ForwardPosition | undefined,
  segments: ReadonlyArray<{ seq: number; bytes: number; records: number }>,
): ForwardPosition {
  if (!saved) return { seq: segments[0]?.seq ?? 1, offset: 0, lines: 0 };
  const current = segments.find((segment) => segment.seq === saved.seq);
  if (current) {
    // Acknowledged bytes are fsynced before the position is saved, so this only follows damaged storage.
    if (saved.offset > current.bytes)
      return { seq: saved.seq, offset: current.bytes, lines: current.records };
    return saved;
  }
  const next = segments.find((segment) => segment.seq > saved.seq);
  return { seq: next?.seq ?? saved.seq + 1, offset: 0, lines: 0 };
}
