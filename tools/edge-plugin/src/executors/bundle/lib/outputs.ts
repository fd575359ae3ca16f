import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The output folders the bundle target declares to Nx (dist/<svc>/bundle and dist/<svc>/bin). */
export const OUTPUT_FOLDERS = ['bundle', 'bin'] as const;

/**
 * A private folder inside the workspace (gitignored .edgeship/tmp), on the same filesystem as dist/,
 * so finished outputs move into dist/ with a rename and a killed run leaves nothing in dist/.
 */
export async function createWorkDir(workspaceRoot: string, project: string): Promise<string> {
  const parent = join(workspaceRoot, '.edgeship', 'tmp');
  await mkdir(parent, { recursive: true });
  return mkdtemp(join(parent, `bundle-${project}-`));
}

/**
 * Outputs of an earlier run go before anything is built: after a failed run, dist/ holds no
 * executable that does not match the current sources (image and deploy would pick it up).
 */
export async function removeOutputs(outputDir: string): Promise<void> {
  for (const folder of OUTPUT_FOLDERS) await rm(join(outputDir, folder), { recursive: true, force: true });
}

/** Moves <workDir>/bundle and <workDir>/bin into dist/<svc>/ once everything in them is complete. */
export async function promoteOutputs(workDir: string, outputDir: string): Promise<void> {
  await mkdir(outputDir, { recursive: true });
  for (const folder of OUTPUT_FOLDERS) {
    const from = join(workDir, folder);
    const to = join(outputDir, folder);
    if (!existsSync(from)) continue;
    await rm(to, { recursive: true, force: true });
    await moveFolder(from, to);
  }
}

async function moveFolder(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // dist/ on another filesystem: copy beside, then rename, so the final name still appears at once.
    const beside = `${to}.partial`;
    await cp(from, beside, { recursive: true });
    await rename(beside, to);
  }
}
