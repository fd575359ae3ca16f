import type { ExecutorContext } from '@nx/devkit';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, logger, timedStep } from '@edgeship/edge-common';
import { resolveProjectRoot } from '../../lib/project';
import type { Lockfile } from './lib/lockfile';
import { PruneError, pruneLockfile } from './lib/prune-lockfile';
import { verifyPrunedInstall } from './lib/verify-pruned-install';
import { readRootLockfile, verifyLockfileInSync, verifyLockfileSources } from './lib/verify-root-lockfile';
import type { LockExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

export default async function lockExecutor(
  options: LockExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return runExecutor(async () => {
    const projectRoot = resolveProjectRoot(context);
    const outputPath = join(context.root, options.outputPath ?? `dist/${context.projectName}/lock`);
    await timedStep('lockfile in sync with every package.json', () => verifyLockfileInSync(context.root));
    const lockfile = readRootLockfile(context.root);
    await timedStep('integrity hashes and registry-only sources', () =>
      verifyLockfileSources(context.root, lockfile),
    );
    const pruned = prunedFor(lockfile, projectRoot, readServiceManifest(context.root, projectRoot));
    if (options.skipInstallCheck)
      logger.warn('skipInstallCheck: the pruned lockfile is written but not proven');
    else
      await timedStep(
        `npm ci of the pruned lockfile (${countPackages(pruned.lockfile.packages)} packages)`,
        () => verifyPrunedInstall(pruned, context.projectName!),
      );
    writeOutputs(outputPath, pruned);
    logger.done(`pruned lockfile written to ${outputPath}`);
    return { success: true };
  });
}

function readServiceManifest(workspaceRoot: string, projectRoot: string): { name: string; version: string } {
  const file = `${projectRoot}/package.json`;
  const manifest = JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8')) as Record<string, unknown>;
  for (const field of ['name', 'version'] as const) {
    if (typeof manifest[field] !== 'string' || !manifest[field]) {
      throw new ConfigError(
        file,
        field,
        manifest[field],
        `Every service needs a ${field} in its package.json.`,
      );
    }
  }
  return { name: manifest['name'] as string, version: manifest['version'] as string };
}

function prunedFor(lockfile: Lockfile, projectRoot: string, service: { name: string; version: string }) {
  try {
    return pruneLockfile(lockfile, projectRoot, service);
  } catch (error) {
    if (!(error instanceof PruneError)) throw error;
    throw new ConfigError(
      'package-lock.json',
      `packages["${projectRoot}"]`,
      undefined,
      `${error.message}. Run \`npm install\` at the workspace root and commit package-lock.json.`,
    );
  }
}

function countPackages(packages: Record<string, unknown>): number {
  return Object.keys(packages).length - 1;
}

/** Both files appear together or not at all: written beside, then renamed into place. */
function writeOutputs(outputPath: string, pruned: ReturnType<typeof pruneLockfile>): void {
  const staging = `${outputPath}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), JSON.stringify(pruned.packageJson, null, 2) + '\n');
  writeFileSync(join(staging, 'package-lock.json'), JSON.stringify(pruned.lockfile, null, 2) + '\n');
  rmSync(outputPath, { recursive: true, force: true });
  renameSync(staging, outputPath);
}
