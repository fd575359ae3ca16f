import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The workspace folders whose every spec `npm test` runs (tools/scripts/test.ts); the projects' test
 * targets together run the same files (plugins/plugin.spec.ts checks).
 */
export const WORKSPACE_SPEC_FOLDERS = ['packages', 'tools', 'playbooks', 'pipelines'] as const;

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'files', '.nx']);

/** Every `*.spec.ts` below `root`, sorted, leaving out dependencies, outputs and generator templates. */
export function findSpecFiles(root: string, pattern?: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) walk(path);
      } else if (entry.name.endsWith('.spec.ts') && (!pattern || path.includes(pattern))) {
        found.push(path);
      }
    }
  };
  walk(root);
  return found.sort();
}

/**
 * node's test runner with TypeScript support, one process per file as node:test does; at most
 * `concurrency` files at once when given (node's default: one fewer than the cores).
 */
export function nodeTestArgs(files: readonly string[], concurrency?: number): string[] {
  const limit = concurrency === undefined ? [] : [`--test-concurrency=${concurrency}`];
  return [...limit, '--import', 'tsx', '--test', ...files];
}
