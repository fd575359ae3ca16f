import type { ExecutorContext } from '@nx/devkit';
import { rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConfigError, logger, timedStep } from '@edgeship/edge-common';
import { ensureRuntimes } from './lib/fetch-runtime';
import { describeNativeAddons, findNativeAddons, listProductionPackages } from './lib/native-addons';
import { normalizeOptions, resolveOutputDir, type NormalizedBundleOptions } from './lib/normalize-options';
import { refusePinoTransports } from './lib/pino-transports';
import { recordExecutables } from './lib/executables-record';
import { createWorkDir, promoteOutputs, removeOutputs } from './lib/outputs';
import { runEsbuild } from './lib/run-esbuild';
import { resolveSourceRevision } from './lib/source-revision';
import { type ContractTarget, verifyContract } from './lib/verify-contract';
import { writeExecutables, type BuiltExecutable } from './lib/write-executables';
import type { BundleExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

/** esbuild bundle → pinned runtimes → one SEA per arch; outputs appear in dist/ only once all are complete. */
export default async function bundleExecutor(
  options: BundleExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  let workDir: string | undefined;
  return runExecutor(async () => {
    await removeOutputs(resolveOutputDir(options, context));
    const normalized = normalizeOptions(options, context);
    const external = checkNativeAddons(normalized);
    workDir = await createWorkDir(normalized.workspaceRoot, normalized.project);
    const bundleFile = join(workDir, 'bundle', 'main.js');
    const revision = await resolveSourceRevision(normalized.workspaceRoot, revisionPaths(normalized));
    const bundle = await timedStep(`esbuild ${relative(normalized.workspaceRoot, normalized.entry)}`, () =>
      runEsbuild({
        ...normalized,
        outfile: bundleFile,
        nodeVersion: normalized.runtime.version,
        revision,
        external,
      }),
    );
    for (const warning of bundle.warnings) logger.warn(warning);
    refusePinoTransports(normalized.project, bundle.inputFiles, normalized.workspaceRoot);
    const executables = external.length > 0 ? [] : await buildExecutables(normalized, workDir, bundleFile);
    await recordExecutables(
      workDir,
      {
        service: normalized.project,
        version: normalized.version,
        revision,
        node: normalized.runtime.version,
      },
      executables,
    );
    // Before promotion: an executable that breaks the runtime contract never reaches dist/.
    if (executables.length > 0 && normalized.checkContract)
      await verifyContract(contractTarget(normalized, executables));
    await promoteOutputs(workDir, normalized.outputDir);
    await reportOutputs(normalized, [bundleFile, ...executables.map((built) => built.file)], workDir);
    logger.done(
      `${normalized.project}: revision ${revision ?? 'unknown'}, Node.js ${normalized.runtime.version}`,
    );
    return { success: true };
  }).finally(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });
}

async function buildExecutables(
  options: NormalizedBundleOptions,
  workDir: string,
  bundleFile: string,
): Promise<BuiltExecutable[]> {
  const { runtimes, blobRuntime } = await timedStep(`Node.js ${options.runtime.version} runtimes`, () =>
    ensureRuntimes(options.runtime, options.archs, options.blobArch, options.cacheRoot),
  );
  return timedStep(`single executables for ${options.archs.join(', ')}`, () =>
    writeExecutables({ service: options.project, bundleFile, workDir, runtimes, blobRuntime }),
  );
}

/**
 * A binary-delivered service must not depend on native addons. A container-delivered one may: they stay
 * external (the image installs them) and no executable is built. Returns the packages to keep external.
 */
function checkNativeAddons(options: NormalizedBundleOptions): string[] {
  const addons = findNativeAddons(options.projectDir, options.workspaceRoot).filter(
    (addon) => !options.allowNativeAddons.includes(addon.name),
  );
  if (addons.length === 0) return [];
  if (options.delivery === 'container') {
    logger.warn(
      `native addons ${addons.map((a) => a.name).join(', ')} stay external; no executables (container delivery)`,
    );
    return addons.map((addon) => addon.name);
  }
  throw new ConfigError(
    relative(options.workspaceRoot, join(options.projectDir, 'package.json')),
    'dependencies',
    addons.map((addon) => addon.name),
    describeNativeAddons(options.project, addons),
  );
}

function contractTarget(options: NormalizedBundleOptions, executables: BuiltExecutable[]): ContractTarget {
  const { project: service, blobArch: hostArch, contractTimeoutMs: timeoutMs, workspaceRoot } = options;
  return { service, executables, hostArch, timeoutMs, workspaceRoot };
}

/** What the bundle is made of: the project, the workspace libraries it uses, the root manifest. */
function revisionPaths(options: NormalizedBundleOptions): string[] {
  const libraries = listProductionPackages(options.projectDir, options.workspaceRoot)
    .map((node) => relative(options.workspaceRoot, node.dir))
    .filter((dir) => !dir.startsWith('..') && !dir.split('/').includes('node_modules'));
  return [relative(options.workspaceRoot, options.projectDir), ...libraries, 'package.json'];
}

async function reportOutputs(
  options: NormalizedBundleOptions,
  files: string[],
  workDir: string,
): Promise<void> {
  const rows = [];
  for (const file of files) {
    const output = join(options.outputDir, relative(workDir, file));
    rows.push({
      output: relative(options.workspaceRoot, output),
      size: formatBytes((await stat(output)).size),
    });
  }
  logger.table(rows);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}
