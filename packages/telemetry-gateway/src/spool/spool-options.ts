import { unlink } from 'node:fs/promises';

export interface SpoolOptions {
  dir: string;
  /** Upper bound of all segment files together; the oldest segments are dropped to stay under it. */
  maxBytes?: number;
  /** Upper bound of stored readings, enforced the same way. */
  maxRecords?: number;
  /** How many of the newest readings are kept in memory for GET /readings. */
  recentCapacity?: number;
  /** Removes a segment file: node:fs unlink, unless a test needs it to fail. */
  removeFile?: (path: string) => Promise<void>;
}

export type NormalizedSpoolOptions = Required<SpoolOptions> & {
  segmentBytes: number;
  segmentRecords: number;
};

/**
 * Bounds are enforced by dropping whole segments, so a segment is a quarter of each bound: the spool keeps
 * between three quarters and all of what the bounds allow.
 */
export function normalizeSpoolOptions(options: SpoolOptions): NormalizedSpoolOptions {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maxRecords = options.maxRecords ?? 250_000;
  const recentCapacity = options.recentCapacity ?? 1000;
  const minimums = {
    maxBytes: [maxBytes, 4],
    maxRecords: [maxRecords, 4],
    recentCapacity: [recentCapacity, 1],
  };
  for (const [field, [value, minimum]] of Object.entries(minimums)) {
    if (!Number.isInteger(value) || value! < minimum!) {
      throw new Error(`spool option ${field} is ${value}; set it to an integer >= ${minimum}`);
    }
  }
  return {
    dir: options.dir,
    maxBytes,
    maxRecords,
    recentCapacity,
    removeFile: options.removeFile ?? unlink,
    segmentBytes: Math.floor(maxBytes / 4),
    segmentRecords: Math.floor(maxRecords / 4),
  };
}
