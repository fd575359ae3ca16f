import type { ExecutorContext } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';
import { resolveProjectRoot } from '../../../lib/project';
import { readEdgeshipMarker, type DeliveryMode } from '../../../plugins/marker';
import type { BundleExecutorOptions } from '../schema';
import { parseArchs, selectBlobArch, type SeaArch } from './arch';
import { resolveCacheRoot } from './runtime-cache';
import type { RuntimePins } from './runtime-pins';
import { readPinnedRuntime, type PinnedRuntime } from './runtime-version';

export interface NormalizedBundleOptions {
  workspaceRoot: string;
  project: string;
  /** The marker's version: what the build record says was built. */
  version: string;
  /** Absolute project folder. */
  projectDir: string;
  delivery: DeliveryMode;
  entry: string;
  outputDir: string;
  tsconfig: string | undefined;
  archs: SeaArch[];
  /** The arch of the runtime that runs here and writes the SEA blob. */
  blobArch: SeaArch;
  runtime: PinnedRuntime & { file: string; pins: RuntimePins };
  cacheRoot: string;
  minify: boolean;
  sourcemap: boolean;
  allowNativeAddons: string[];
  checkContract: boolean;
  contractTimeoutMs: number;
}

/** Everything that can be wrong in the configuration fails here, before anything is built or fetched. */
export function normalizeOptions(
  options: BundleExecutorOptions,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv = process.env,
  hostArch: string = process.arch,
): NormalizedBundleOptions {
  const workspaceRoot = context.root;
  const project = context.projectName!;
  const projectRoot = resolveProjectRoot(context);
  const projectDir = join(workspaceRoot, projectRoot);
  const manifestFile = join(projectRoot, 'package.json');
  const manifest = JSON.parse(readFileSync(join(workspaceRoot, manifestFile), 'utf8')) as Record<
    string,
    unknown
  >;
  const marker = readEdgeshipMarker(manifest, manifestFile);
  if (marker?.kind !== 'service') {
    throw new ConfigError(
      manifestFile,
      'edgeship.kind',
      marker?.kind,
      'Only services are bundled: set "edgeship": {"kind": "service", "port": …}.',
    );
  }
  const entry = join(projectDir, options.entry ?? 'src/main.ts');
  if (!existsSync(entry)) {
    throw new ConfigError(
      relative(workspaceRoot, entry),
      'entry point',
      undefined,
      `Create it (the service starts there), or point the bundle target's "entry" option at the file that starts ${project}.`,
    );
  }
  return {
    workspaceRoot,
    project,
    version: marker.version,
    projectDir,
    delivery: marker.delivery,
    entry,
    outputDir: resolveOutputDir(options, context),
    tsconfig: findTsconfig(workspaceRoot, projectDir),
    archs: parseArchs(options.archs, `${projectRoot} bundle options`),
    blobArch: selectBlobArch(hostArch),
    runtime: readPinnedRuntime(workspaceRoot),
    cacheRoot: resolveCacheRoot(env, workspaceRoot),
    minify: options.minify ?? true,
    sourcemap: options.sourcemap ?? true,
    allowNativeAddons: options.allowNativeAddons ?? [],
    checkContract: options.checkContract ?? true,
    contractTimeoutMs: parseContractTimeout(options.contractTimeoutMs, `${projectRoot} bundle options`),
  };
}

/** Known before anything is validated, so even a configuration error clears stale outputs. */
export function resolveOutputDir(options: BundleExecutorOptions, context: ExecutorContext): string {
  const outputDir = resolve(context.root, options.outputPath ?? join('dist', context.projectName!));
  // bundle/ and bin/ inside it are deleted on every run: never let that be the workspace or a project folder.
  const projectDir = join(context.root, resolveProjectRoot(context));
  const isUnsafe = [context.root, projectDir].some((dir) => !relative(outputDir, dir).startsWith('..'));
  if (isUnsafe) {
    throw new ConfigError(
      `${resolveProjectRoot(context)} bundle options`,
      'outputPath',
      options.outputPath,
      'Point it at a folder of its own, e.g. "dist/<service>": bundle/ and bin/ inside it are replaced on every run.',
    );
  }
  return outputDir;
}

/** The project's own tsconfig if it has one, else the base config that carries the workspace path aliases. */
function findTsconfig(workspaceRoot: string, projectDir: string): string | undefined {
  return [join(projectDir, 'tsconfig.json'), join(workspaceRoot, 'tsconfig.base.json')].find((file) =>
    existsSync(file),
  );
}

function parseContractTimeout(value: unknown, source: string): number {
  if (value === undefined) return 30_000;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1000) {
    throw new ConfigError(
      source,
      'contractTimeoutMs',
      value,
      'Give a whole number of milliseconds, at least 1000 (default 30000): the bound for READY=1 and /healthz.',
    );
  }
  return value;
}
