import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { timedStep, runCommand } from '@edgeship/edge-common';
import { ensureRuntime } from '../../bundle/lib/fetch-runtime';
import { ensureBaseImage } from './base-image';
import { SHARED_LAYER_EPOCH } from './base-rootfs';
import { buildContextDir, prepareBuildContext } from './build-context';
import type { ResolvedBuilder } from './builder';
import { buildxArgs, formatEpoch, ociLabels } from './buildx-args';
import { removeImageTag } from './docker-engine';
import { loadLayersIntoEngine } from './engine-load';
import type { PlatformImageRecord } from './image-record';
import { compressLayer } from './layer-blobs';
import { localTag, type NormalizedImageOptions } from './normalize-options';
import { normalizeBuiltImage } from './normalize-image';
import { hashFile } from '../../bundle/lib/runtime-cache';
import { writeOciArchive } from './oci-archive';
import { buildImageConfig } from './oci-image';
import { archiveName, type ImagePlatform } from './platforms';
import type { SourceInfo } from './source-info';

/** base → runtime → buildx → normalize → compress → OCI archive (→ engine) for one platform. */
export async function buildPlatformImage(
  options: NormalizedImageOptions,
  platform: ImagePlatform,
  source: SourceInfo,
  workDir: string,
  outputDir: string,
  builder?: ResolvedBuilder,
): Promise<PlatformImageRecord & { baseTag: string }> {
  const arch = platform.debArch;
  const base = await timedStep(`${arch}: base image`, () => ensureBaseImage(platform, options.cacheRoot));
  const runtime = await timedStep(`${arch}: Node.js ${options.runtimeVersion} runtime`, () =>
    ensureRuntime({
      version: options.runtimeVersion,
      arch: platform.nodeArch,
      cacheRoot: options.cacheRoot,
      pinFile: 'package.json',
      pins: options.runtimePins,
    }),
  );
  const work = join(workDir, arch);
  const context = buildContextDir(work);
  await prepareBuildContext(context, {
    baseTarball: base.tarball,
    node: runtime.node,
    bundleDir: options.bundleDir,
    port: options.port,
    sourceMaps: options.sourceMaps,
  });
  const buildTag = `edgeship-build/${options.project}:${arch}-${process.pid}-${Date.now()}`;
  const labels = ociLabels({ service: options.project, version: options.version, ...source });
  try {
    const args = buildxArgs({
      contextDir: context,
      platform: platform.platform,
      builder: builder && !builder.engine ? builder.name : undefined,
      context: builder?.engine,
      tag: buildTag,
      labels,
      sourceDateEpoch: source.sourceDateEpoch,
      noCache: options.noCache,
    });
    const command = `docker ${args.slice(0, args.indexOf('--platform') + 2).join(' ')}`;
    await timedStep(`${arch}: ${command}`, () => runCommand('docker', args, { timeoutMs: 30 * 60_000 }));
    const normalized = await timedStep(`${arch}: reproducible layers`, () =>
      normalizeBuiltImage(
        buildTag,
        work,
        { shared: SHARED_LAYER_EPOCH, sourceDateEpoch: source.sourceDateEpoch },
        builder?.engine,
      ),
    );
    await rm(context, { recursive: true, force: true });
    const blobs = await timedStep(
      `${arch}: ${options.compression} -${options.compressionLevel} layers`,
      async () => {
        const layerCache = join(options.cacheRoot, 'layers');
        return Promise.all(
          normalized.layers.map((layer) =>
            compressLayer(
              layer.tar,
              layer.diffId,
              options.compression,
              options.compressionLevel,
              layer.role === 'service' ? undefined : layerCache,
            ),
          ),
        );
      },
    );
    const config = buildImageConfig(
      normalized.builtConfig,
      normalized.layers.map((l) => l.diffId),
      formatEpoch(source.sourceDateEpoch),
    );
    const tag = localTag(options, platform);
    const archive = archiveName(options.project, platform);
    await mkdir(join(work, 'oci'), { recursive: true });
    const written = await writeOciArchive(join(work, 'oci'), join(outputDir, archive), config, blobs, tag);
    if (options.load) {
      await timedStep(`${arch}: docker load ${tag}`, () =>
        loadLayersIntoEngine(
          work,
          config,
          normalized.layers.map((l) => l.tar),
          tag,
        ),
      );
    }
    const layers = normalized.layers.map((layer, index) => ({
      role: layer.role,
      mediaType: blobs[index]!.mediaType,
      digest: blobs[index]!.digest,
      diffId: layer.diffId,
      size: blobs[index]!.size,
      uncompressedSize: layer.size,
    }));
    return {
      platform: platform.platform,
      archive,
      // The build record holds deploys to this: the role compares the controller's archive with it.
      sha256: await hashFile(join(outputDir, archive)),
      tag,
      manifestDigest: written.manifestDigest,
      configDigest: written.configDigest,
      compressedSize: layers.reduce((sum, l) => sum + l.size, 0),
      uncompressedSize: layers.reduce((sum, l) => sum + l.uncompressedSize, 0),
      layers,
      baseTag: base.tag,
    };
  } finally {
    await removeImageTag(buildTag, builder?.engine);
    await rm(work, { recursive: true, force: true });
  }
}
