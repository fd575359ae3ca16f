import { constants } from 'node:fs';
import { copyFile, link, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '@edgeship/edge-common';
import type { LayerBlob } from './layer-blobs';
import { buildLayoutIndex, buildManifest, describe, MEDIA_TYPES, type Descriptor } from './oci-image';
import { createReproducibleTar } from './reproducible-tar';

export interface WrittenImage {
  manifestDigest: string;
  configDigest: string;
  manifestSize: number;
}

/**
 * Writes an OCI image layout archive (oci-layout, index.json, blobs/sha256/…) as a reproducible tar:
 * what skopeo pushes byte for byte (so the registry digest is this manifest's) and podman loads.
 */
export async function writeOciArchive(
  stagingDir: string,
  output: string,
  config: string,
  layers: readonly LayerBlob[],
  refName: string,
): Promise<WrittenImage> {
  const blobs = join(stagingDir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const configDescriptor = describe(MEDIA_TYPES.config, config);
  const layerDescriptors: Descriptor[] = layers.map(({ mediaType, digest, size }) => ({
    mediaType,
    digest,
    size,
  }));
  const manifest = buildManifest(configDescriptor, layerDescriptors);
  const manifestDescriptor = describe(MEDIA_TYPES.manifest, manifest);
  await writeBlob(blobs, configDescriptor.digest, config);
  await writeBlob(blobs, manifestDescriptor.digest, manifest);
  // Copies (a reflink where the filesystem has them), never hard links: shared layers live in the machine's
  // layer cache, and a parallel build linking or unlinking the same inode changes its ctime while tar reads it
  // ("file changed as we read it", exit 1).
  for (const layer of layers) {
    await copyFile(layer.path, join(blobs, hex(layer.digest)), constants.COPYFILE_FICLONE);
  }
  await writeFile(join(stagingDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(stagingDir, 'index.json'), buildLayoutIndex(manifestDescriptor, refName));
  await createReproducibleTar(stagingDir, output, 0);
  return {
    manifestDigest: manifestDescriptor.digest,
    configDigest: configDescriptor.digest,
    manifestSize: manifestDescriptor.size,
  };
}

export interface ArchiveContents {
  manifestDigest: string;
  manifest: { config: Descriptor; layers: Descriptor[] };
  config: string;
  refName?: string;
}

/** Reads index, manifest and config out of an OCI archive without unpacking its layers. */
export async function readOciArchive(archive: string): Promise<ArchiveContents> {
  const index = JSON.parse(await readMember(archive, 'index.json')) as {
    manifests: (Descriptor & { annotations?: Record<string, string> })[];
  };
  const entry = index.manifests[0];
  if (!entry || index.manifests.length !== 1) throw new Error(`${archive} must hold exactly one image`);
  const manifest = JSON.parse(
    await readMember(archive, `blobs/sha256/${hex(entry.digest)}`),
  ) as ArchiveContents['manifest'];
  const config = await readMember(archive, `blobs/sha256/${hex(manifest.config.digest)}`);
  return {
    manifestDigest: entry.digest,
    manifest,
    config,
    refName: entry.annotations?.['org.opencontainers.image.ref.name'],
  };
}

async function readMember(archive: string, member: string): Promise<string> {
  return (await runCommand('tar', ['--extract', '--to-stdout', `--file=${archive}`, member])).stdout;
}

export function hex(digest: string): string {
  return digest.replace(/^sha256:/, '');
}

async function writeBlob(dir: string, digest: string, content: string): Promise<void> {
  await writeFile(join(dir, hex(digest)), content);
}

export async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}
