import type { ExecutorContext } from '@nx/devkit';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * For specs of executors' option handling: a throwaway workspace with one project, packages/<name> holding
 * `manifest` as its package.json, and the context Nx would give an executor running for it.
 */
export function scratchProjectContext(name: string, manifest: Record<string, unknown>): ExecutorContext {
  const root = mkdtempSync(join(tmpdir(), `${name}-scratch-`));
  mkdirSync(join(root, 'packages', name), { recursive: true });
  writeFileSync(join(root, 'packages', name, 'package.json'), JSON.stringify(manifest));
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: name,
    projectsConfigurations: { version: 2, projects: { [name]: { root: `packages/${name}` } } },
  } as unknown as ExecutorContext;
}
