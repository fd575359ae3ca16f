import { createHash } from 'node:crypto';
import { resolveWorkspaceRoot } from '../src/workspace';

/**
 * Fleet names are machine-wide but keys live in the workspace: a clone running these tests at the
 * same time as another (CI from a fresh clone next to a working copy) gets its own fleets.
 */
export function testFleetName(base: string): string {
  const tag = createHash('sha256').update(resolveWorkspaceRoot()).digest('hex').slice(0, 6);
  return `${base}-w${tag}`;
}
