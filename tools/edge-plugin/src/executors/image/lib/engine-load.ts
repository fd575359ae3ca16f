import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '@edgeship/edge-common';
import { loadDockerArchive, readImageId } from './docker-engine';
import { hex, linkOrCopy, readOciArchive } from './oci-archive';
import { buildDockerLoadManifest, MEDIA_TYPES, type Descriptor } from './oci-image';
import { extractTar } from './reproducible-tar';

/**
 * Loads an image into the engine from its config and uncompressed layer tars, as a docker archive:
 * engine 20.10 neither reads OCI layouts nor zstd layers (23.0+ does). The engine's image id is the
 * config digest, so it equals the archive's whatever the compression.
 */
export async function loadLayersIntoEngine(
  workDir: string,
  config: string,
  layerTars: readonly string[],
  tag: string,
): Promise<void> {
  const dir = join(workDir, 'docker-load');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), config);
  const layers: string[] = [];
  for (const [index, tar] of layerTars.entries()) {
    await linkOrCopy(tar, join(dir, `layer-${index}.tar`));
    layers.push(`layer-${index}.tar`);
  }
  await writeFile(join(dir, 'manifest.json'), buildDockerLoadManifest('config.json', layers, tag));
  const archive = join(workDir, 'docker-load.tar');
  await runCommand('tar', [
    '--create',
    `--file=${archive}`,
    `--directory=${dir}`,
    'manifest.json',
    'config.json',
    ...layers,
  ]);
  await loadDockerArchive(archive);
  await rm(dir, { recursive: true, force: true });
  await rm(archive, { force: true });
}

/**
 * Puts the image of an OCI archive into the engine unless the tag already names that exact image.
 * Returns whether it had to load. This is what turns an Nx cache hit (the archive restored into
 * dist/) into the image being back in the engine.
 */
export async function ensureImageInEngine(archive: string, tag: string, tmpRoot: string): Promise<boolean> {
  const contents = await readOciArchive(archive);
  const wanted = contents.manifest.config.digest;
  if ((await readImageId(tag)) === wanted) return false;
  await mkdir(tmpRoot, { recursive: true });
  const work = await mkdtemp(join(tmpRoot, 'image-load-'));
  try {
    const unpacked = join(work, 'oci');
    await mkdir(unpacked);
    await extractTar(
      archive,
      unpacked,
      contents.manifest.layers.map((layer) => `blobs/sha256/${hex(layer.digest)}`),
    );
    const tars: string[] = [];
    for (const [index, layer] of contents.manifest.layers.entries()) {
      tars.push(
        await decompressLayer(
          join(unpacked, 'blobs', 'sha256', hex(layer.digest)),
          layer,
          join(work, `layer-${index}.tar`),
        ),
      );
    }
    await loadLayersIntoEngine(work, contents.config, tars, tag);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const loaded = await readImageId(tag);
  if (loaded !== wanted)
    throw new Error(`docker load of ${archive} gave image ${loaded ?? 'none'}, expected ${wanted}`);
  return true;
}

async function decompressLayer(blob: string, layer: Descriptor, output: string): Promise<string> {
  if (layer.mediaType === MEDIA_TYPES.zstd) {
    await runCommand('zstd', ['-q', '-d', '-f', '-o', output, blob]);
  } else if (layer.mediaType === MEDIA_TYPES.gzip) {
    await rename(blob, `${output}.gz`);
    await runCommand('gzip', ['-d', '-f', `${output}.gz`]);
  } else {
    await rename(blob, output);
  }
  return output;
}
