import type { PostTasksExecution, TaskResult } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '@edgeship/edge-common';
import { ensureImageInEngine } from './engine-load';
import { IMAGE_RECORD, readImageRecord } from './image-record';

const CACHE_HITS: ReadonlySet<TaskResult['status']> = new Set([
  'local-cache',
  'local-cache-kept-existing',
  'remote-cache',
]);

/** The image output folders of the `image` tasks Nx answered from its cache. */
export function findRestoredImageDirs(results: readonly TaskResult[], workspaceRoot: string): string[] {
  return results
    .filter((result) => result.task.target.target === 'image' && CACHE_HITS.has(result.status))
    .flatMap((result) => result.task.outputs.map((output) => join(workspaceRoot, output)))
    .filter((dir) => existsSync(join(dir, IMAGE_RECORD)));
}

/**
 * A cache hit restores dist/<svc>/image/*.tar but runs no executor, so the engine may lack the image
 * (a fresh machine, a pruned engine). After the tasks, load each restored archive whose image the
 * engine does not hold under its tag. Nx runs this hook itself (the plugin exports it).
 */
export const postTasksExecution: PostTasksExecution = async (_options, context) => {
  const dirs = findRestoredImageDirs(Object.values(context.taskResults), context.workspaceRoot);
  for (const dir of dirs) {
    try {
      const record = await readImageRecord(dir);
      for (const image of record.images) {
        const isLoaded = await ensureImageInEngine(
          join(dir, image.archive),
          image.tag,
          join(context.workspaceRoot, '.edgeship', 'tmp'),
        );
        if (isLoaded)
          logger.done(
            `cache hit: loaded ${image.tag} (${image.configDigest.slice(7, 19)}) from ${image.archive}`,
          );
      }
    } catch (error) {
      // The archives are in place either way; a missing engine must not turn a cache hit into a failure.
      logger.warn(
        `could not load the cached image from ${dir} into docker: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
};
