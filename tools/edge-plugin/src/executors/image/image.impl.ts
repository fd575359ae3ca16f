import type { ExecutorContext } from '@nx/devkit';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { logger } from '@edgeship/edge-common';
import { listProductionPackages } from '../bundle/lib/native-addons';
import { formatEpoch } from './lib/buildx-args';
import { createImageWorkDir } from './lib/build-context';
import { resolveBuilder, type ResolvedBuilder } from './lib/builder';
import { buildPlatformImage } from './lib/build-platform';
import { writeImageRecord, type ImageRecord } from './lib/image-record';
import { normalizeImageOptions, type NormalizedImageOptions } from './lib/normalize-options';
import { checkTools, IMAGE_TOOLS } from './lib/preflight';
import { resolveSourceInfo } from './lib/source-info';
import type { ImageExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

/** One reproducible OCI archive per platform in dist/<svc>/image, plus image.json; loaded into the engine. */
export default async function imageExecutor(
  options: ImageExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  let workDir: string | undefined;
  return runExecutor(async () => {
    const normalized = normalizeImageOptions(options, context);
    await checkTools(IMAGE_TOOLS);
    const builder = normalized.builder ? await checkBuilder(normalized) : undefined;
    // Outputs of an earlier run go first: after a failure, dist/ holds no image of other sources.
    await rm(normalized.outputDir, { recursive: true, force: true });
    workDir = await createImageWorkDir(normalized.workspaceRoot, normalized.project);
    const source = await resolveSourceInfo(normalized.workspaceRoot, revisionPaths(normalized));
    if (!source.source)
      logger.warn('no git remote and no "repository" in package.json: the image has no source label');
    const outputDir = join(workDir, 'out');
    await mkdir(outputDir);
    const images = [];
    const base: Record<string, string> = {};
    for (const platform of normalized.platforms) {
      const { baseTag, ...image } = await buildPlatformImage(
        normalized,
        platform,
        source,
        workDir,
        outputDir,
        builder,
      );
      images.push(image);
      base[platform.platform] = baseTag;
    }
    const record: ImageRecord = {
      schema: 'edgeship.image/v1',
      service: normalized.project,
      version: normalized.version,
      revision: source.revision,
      sourceDateEpoch: source.sourceDateEpoch,
      created: formatEpoch(source.sourceDateEpoch),
      runtime: { node: normalized.runtimeVersion },
      base,
      images,
    };
    await writeImageRecord(outputDir, record);
    await mkdir(join(normalized.outputDir, '..'), { recursive: true });
    await rename(outputDir, normalized.outputDir);
    logger.table(
      images.map((image) => ({
        image: image.tag,
        digest: image.manifestDigest.slice(0, 19),
        compressed: formatMB(image.compressedSize),
        'service layer': formatMB(image.layers.find((l) => l.role === 'service')!.size),
        archive: relative(normalized.workspaceRoot, join(normalized.outputDir, image.archive)),
      })),
    );
    return { success: true };
  }).finally(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });
}

async function checkBuilder(options: NormalizedImageOptions): Promise<ResolvedBuilder> {
  const builder = await resolveBuilder(options.builder!, `${options.projectRoot} image options`);
  logger.step(
    `builder ${builder.name}: ${builder.driver} driver${builder.engine ? `, images built and read in engine ${builder.engine}` : ''}`,
  );
  return builder;
}

/** What the image is made of: the project, the workspace libraries it uses, the root manifest. */
function revisionPaths(options: NormalizedImageOptions): string[] {
  const projectDir = join(options.workspaceRoot, options.projectRoot);
  const libraries = listProductionPackages(projectDir, options.workspaceRoot)
    .map((node) => relative(options.workspaceRoot, node.dir))
    .filter((dir) => !dir.startsWith('..') && !dir.split('/').includes('node_modules'));
  return [options.projectRoot, ...libraries, 'package.json'];
}

function formatMB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}
