import { createHash } from 'node:crypto';
import { resolveWorkspaceRoot } from '../workspace';

/**
 * Fleet names are machine-wide but keys live in the workspace: a clone running these tests at the
 * same time as another (CI from a fresh clone next to a working copy), or a throwaway copy made by a
 * test, gets its own fleets, and leftovers of an interrupted run stay apart.
 */
export function testFleetName(base: string, workspaceRoot = resolveWorkspaceRoot()): string {
  const tag = createHash('sha256').update(workspaceRoot).digest('hex').slice(0, 6);
  return `${base}-w${tag}`;
}
