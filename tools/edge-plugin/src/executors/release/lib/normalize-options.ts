import type { ExecutorContext } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../../../lib/errors';
import { checkSemver } from '../../../lib/semver';
import { IMAGE_RECORD } from '../../image/lib/image-record';
import { parsePlatforms } from '../../image/lib/platforms';
import type { ReleaseExecutorOptions } from '../schema';
import { resolveRegistry, type RegistryTarget } from './registry';

export interface NormalizedReleaseOptions {
  workspaceRoot: string;
  project: string;
  imageDir: string;
  /** dist/<svc>: where release.json goes. */
  distDir: string;
  registry: RegistryTarget;
  repository: string;
  tag?: string;
  platforms?: string[];
  keyDir: string;
  keyPassword: string;
  builder?: string;
}

export function normalizeReleaseOptions(
  options: ReleaseExecutorOptions,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv = process.env,
): NormalizedReleaseOptions {
  const workspaceRoot = context.root;
  const project = context.projectName!;
  const where = `${project} release options`;
  const imageDir = resolve(workspaceRoot, options.imagePath ?? join('dist', project, 'image'));
  if (!existsSync(join(imageDir, IMAGE_RECORD))) {
    throw new ConfigError(
      relative(workspaceRoot, join(imageDir, IMAGE_RECORD)),
      'image record',
      undefined,
      `Build the images first: npx nx run ${project}:image (release depends on it).`,
    );
  }
  const repository = options.repository ?? `edgeship/${project}`;
  if (!/^[a-z0-9]+([._\/-][a-z0-9]+)*$/.test(repository)) {
    throw new ConfigError(
      where,
      'repository',
      repository,
      'Use a lowercase repository such as "edgeship/hello-edge".',
    );
  }
  // A semver tag is also a docker tag, and never one of the reserved "staging-…" tags.
  if (options.tag !== undefined) checkSemver(options.tag, where, 'tag');
  const platforms = options.platforms
    ? parsePlatforms(options.platforms, where).map((p) => p.platform)
    : undefined;
  return {
    workspaceRoot,
    project,
    imageDir,
    distDir: resolve(imageDir, '..'),
    registry: resolveRegistry(options.registry, options.insecure, env),
    repository,
    tag: options.tag,
    platforms,
    keyDir: resolve(
      workspaceRoot,
      options.keyDir ?? env['EDGESHIP_COSIGN_KEY_DIR'] ?? join('.edgeship', 'keys'),
    ),
    keyPassword: env['COSIGN_PASSWORD'] ?? '',
    builder: options.builder,
  };
}
