import type { ExecutorContext } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError, isCi } from '@edgeship/edge-common';
import { checkSemver } from '../../../lib/semver';
import { IMAGE_RECORD } from '../../image/lib/image-record';
import { parsePlatforms } from '../../image/lib/platforms';
import type { ReleaseExecutorOptions } from '../schema';
import { resolveRegistry, type RegistryTarget } from './registry';
import { keyPairPaths } from './signing';

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
  /** False in CI: the key pair must be there already (checked here), and release never makes one. */
  mayCreateKeyPair: boolean;
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
  const keyDir = resolve(
    workspaceRoot,
    options.keyDir ?? env['EDGESHIP_COSIGN_KEY_DIR'] ?? join('.edgeship', 'keys'),
  );
  const keyPassword = env['COSIGN_PASSWORD'] ?? '';
  const inCi = isCi(env);
  if (inCi) checkCiSigningKey(keyDir, keyPassword, options, env, where);
  return {
    workspaceRoot,
    project,
    imageDir,
    distDir: resolve(imageDir, '..'),
    registry: resolveRegistry(options.registry, options.insecure, env),
    repository,
    tag: options.tag,
    platforms,
    keyDir,
    keyPassword,
    mayCreateKeyPair: !inCi,
    builder: options.builder,
  };
}

/**
 * In CI the signing key is the project's, handed in by the pipeline: a key pair made on the fly there would
 * sign releases nobody trusts (and vanish with the runner), and a key without a password is one file away
 * from anyone who can read the runner's disk. Both are refused before anything is checked or pushed.
 */
function checkCiSigningKey(
  keyDir: string,
  password: string,
  options: ReleaseExecutorOptions,
  env: NodeJS.ProcessEnv,
  where: string,
): void {
  const { privateKey } = keyPairPaths(keyDir);
  const ci = `In CI (CI=${env['CI']})`;
  if (!existsSync(privateKey)) {
    const [file, field, value] =
      options.keyDir !== undefined
        ? [where, 'keyDir', options.keyDir]
        : ['environment', 'EDGESHIP_COSIGN_KEY_DIR', env['EDGESHIP_COSIGN_KEY_DIR']];
    throw new ConfigError(
      file,
      field,
      value,
      `${ci} release never creates a signing key, and ${privateKey} does not exist. Set EDGESHIP_COSIGN_KEY_DIR ` +
        `to a folder holding the project's cosign.key and cosign.pub (written from a CI secret), and ` +
        `COSIGN_PASSWORD to the key's password (pipelines/README.md).`,
    );
  }
  if (password === '') {
    throw new ConfigError(
      'environment',
      'COSIGN_PASSWORD',
      env['COSIGN_PASSWORD'],
      `${ci} release refuses a signing key without a password. Set COSIGN_PASSWORD (a CI secret) to the password ` +
        `of ${privateKey}; a key made without one must be made again with one (cosign generate-key-pair).`,
    );
  }
}
