import type { ExecutorContext } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';
import { resolveProjectRoot } from '../../../lib/project';
import { readEdgeshipMarker } from '../../../plugins/marker';
import { resolveCacheRoot } from '../../bundle/lib/runtime-cache';
import type { RuntimePins } from '../../bundle/lib/runtime-pins';
import { readPinnedRuntime } from '../../bundle/lib/runtime-version';
import type { ImageExecutorOptions } from '../schema';
import { DEFAULT_LEVELS, type Compression } from './layer-blobs';
import { parsePlatforms, type ImagePlatform } from './platforms';

export interface NormalizedImageOptions {
  workspaceRoot: string;
  project: string;
  projectRoot: string;
  version: string;
  port: number;
  platforms: ImagePlatform[];
  builder?: string;
  repository: string;
  compression: Compression;
  compressionLevel: number;
  noCache: boolean;
  load: boolean;
  sourceMaps: boolean;
  bundleDir: string;
  outputDir: string;
  runtimeVersion: string;
  /** What the repository records for that runtime; the fetched and cached binaries must match it. */
  runtimePins: RuntimePins;
  cacheRoot: string;
}

/** Everything that can be wrong in the configuration fails here, before anything is built. */
export function normalizeImageOptions(
  options: ImageExecutorOptions,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv = process.env,
): NormalizedImageOptions {
  const workspaceRoot = context.root;
  const project = context.projectName!;
  const projectRoot = resolveProjectRoot(context);
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
      'Only services get images: set "edgeship": {"kind": "service", …}.',
    );
  }
  const where = `${projectRoot} image options`;
  const compression = options.compression ?? 'zstd';
  if (compression !== 'zstd' && compression !== 'gzip') {
    throw new ConfigError(where, 'compression', compression, 'Use "zstd" or "gzip".');
  }
  const level = options.compressionLevel ?? DEFAULT_LEVELS[compression];
  const maxLevel = compression === 'zstd' ? 22 : 9;
  if (!Number.isInteger(level) || level < 1 || level > maxLevel) {
    throw new ConfigError(
      where,
      'compressionLevel',
      level,
      `Use a whole number from 1 to ${maxLevel} for ${compression}.`,
    );
  }
  if (options.builder !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.builder)) {
    throw new ConfigError(
      where,
      'builder',
      options.builder,
      'Use the name of a builder listed by `docker buildx ls`.',
    );
  }
  const repository = options.repository ?? `edgeship/${project}`;
  if (!/^[a-z0-9]+([._\/-][a-z0-9]+)*$/.test(repository)) {
    throw new ConfigError(
      where,
      'repository',
      repository,
      'Use a lowercase image name such as "edgeship/hello-edge".',
    );
  }
  const bundleDir = resolve(workspaceRoot, options.bundlePath ?? join('dist', project, 'bundle'));
  const sourceMaps = options.sourceMaps ?? false;
  for (const file of ['main.js', ...(sourceMaps ? ['main.js.map'] : [])]) {
    if (!existsSync(join(bundleDir, file))) {
      throw new ConfigError(
        relative(workspaceRoot, join(bundleDir, file)),
        'bundle output',
        undefined,
        `Build the bundle first: npx nx run ${project}:bundle (the image target depends on it).`,
      );
    }
  }
  const runtime = readPinnedRuntime(workspaceRoot);
  return {
    workspaceRoot,
    project,
    projectRoot,
    version: marker.version,
    port: marker.port,
    platforms: parsePlatforms(options.platforms, where),
    builder: options.builder,
    repository,
    compression,
    compressionLevel: level,
    noCache: options.noCache ?? false,
    load: options.load ?? true,
    sourceMaps,
    bundleDir,
    outputDir: resolve(workspaceRoot, options.outputPath ?? join('dist', project, 'image')),
    runtimeVersion: runtime.version,
    runtimePins: runtime.pins,
    cacheRoot: resolveCacheRoot(env, workspaceRoot),
  };
}

export function localTag(
  options: Pick<NormalizedImageOptions, 'repository' | 'version'>,
  platform: ImagePlatform,
): string {
  return `${options.repository}:${options.version}-${platform.debArch}`;
}
