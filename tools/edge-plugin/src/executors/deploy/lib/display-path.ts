import { relative } from 'node:path';

/** Paths inside the workspace relative to it, others as they are. */
export function displayPath(workspaceRoot: string, path: string): string {
  const shown = relative(workspaceRoot, path);
  return shown.startsWith('..') ? path : shown || '.';
}
