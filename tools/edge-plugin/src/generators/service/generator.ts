import { formatFiles, generateFiles, type GeneratorCallback, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { logger } from '@edgeship/edge-common';
import { normalizeServiceOptions, type NormalizedServiceOptions } from './lib/normalize-options';
import { updateLockfile } from './lib/update-lockfile';
import type { ServiceGeneratorSchema } from './schema';

/**
 * nx g @edgeship/edge-plugin:service <name> [--framework fastify|express|hono|http] [--port N]
 *   [--delivery binary|container] [--dry-run]
 * Writes packages/<name> from files/common and files/<framework> (each under service-kit's runtime contract), then, as Nx's post-write task,
 * brings package-lock.json up to date with npm: the lock target refuses a lockfile that drifted.
 * No other workspace file needs a change: the plugin finds the service by its package.json marker,
 * and services are not imported by path (tsconfig paths cover the shared library only).
 */
export default async function serviceGenerator(
  tree: Tree,
  schema: ServiceGeneratorSchema,
): Promise<GeneratorCallback | void> {
  const options = normalizeServiceOptions(tree, schema);
  const substitutions = { ...options, template: '' };
  generateFiles(tree, join(__dirname, 'files', 'common'), options.projectRoot, substitutions);
  generateFiles(tree, join(__dirname, 'files', options.framework), options.projectRoot, substitutions);
  await formatFiles(tree);
  return () => updateWorkspace(tree.root, options);
}

async function updateWorkspace(workspaceRoot: string, options: NormalizedServiceOptions): Promise<void> {
  if (options.install === 'skip') {
    logger.warn(
      `package-lock.json not updated (--install=skip): run npm install before ${options.name}'s lock target`,
    );
    return;
  }
  logger.step(
    `package-lock.json gains ${options.projectRoot} (npm install${options.install === 'lockfile-only' ? ', lockfile only' : ''})`,
  );
  await updateLockfile(workspaceRoot, options.install);
  logger.done(
    `${options.name}: ${options.framework}, port ${options.port}, ${options.delivery} delivery. Next: npx nx run-many -t format lock test bundle image -p ${options.name}`,
  );
}
