/** The fuse Node.js flips to know it carries a SEA blob (fixed by Node.js, see its single-executable docs). */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** The ELF note name Node.js looks the blob up by. */
export const SEA_RESOURCE = 'NODE_SEA_BLOB';

export interface SeaConfig {
  main: string;
  output: string;
  disableExperimentalSEAWarning: boolean;
  useCodeCache: boolean;
  useSnapshot: boolean;
}

/**
 * Code cache and snapshots are V8 data for the CPU that made the blob; one blob serves both
 * arches only with both off (Node.js refuses cross-platform blobs otherwise).
 */
export function createSeaConfig(main: string, output: string): SeaConfig {
  return { main, output, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false };
}

/** Arguments for the pinned runtime that writes the blob (same Node.js version as the binaries it goes into). */
export function seaBlobArgs(configFile: string): string[] {
  return ['--experimental-sea-config', configFile];
}

/** Arguments for postject's CLI: inject the blob as NODE_SEA_BLOB and flip the fuse. */
export function postjectArgs(executable: string, blob: string): string[] {
  return [executable, SEA_RESOURCE, blob, '--sentinel-fuse', SEA_FUSE];
}
