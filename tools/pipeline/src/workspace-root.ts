import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder at or above start holding nx.json, as nx itself finds its workspace. */
export function findWorkspaceRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
