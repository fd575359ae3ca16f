import { join, relative } from 'node:path';
import { ConfigError, ToolError } from '../../../lib/errors';
import { logger } from '../../../lib/logger';
import { isLoopback } from '../../release/lib/registry';
import { keyPairPaths, verifyImage } from '../../release/lib/signing';
import type { NormalizedDeployOptions } from './ansible-args';
import type { ArtifactMap } from './artifacts';
import {
  attachManifestDigests,
  findUnsignedImages,
  readImageRecords,
  readSignedRelease,
} from './image-records';

/**
 * Ties each image archive to the manifest the image target recorded and, when the service was released,
 * to the digest the release signed, verifying that cosign signature against the project key before use.
 */
export async function verifyContainerArtifacts(
  options: NormalizedDeployOptions,
  artifacts: ArtifactMap,
): Promise<ArtifactMap> {
  if (!artifacts.container) return artifacts;
  const shownDir = relative(options.workspaceRoot, options.artifactDir) || options.artifactDir;
  const archives = Object.values(artifacts.container).map((entry) => entry.path);
  const records = readImageRecords(options.artifactDir).filter((record) =>
    archives.some((path) => path.endsWith(`/${record.archive}`)),
  );
  if (records.length === 0) {
    throw new ConfigError(
      `${shownDir}/image/image.json`,
      'images',
      undefined,
      `Build the images: nx run ${options.service.name}:image.`,
    );
  }
  const release = readSignedRelease(options.artifactDir);
  if (!release) {
    logger.warn(
      `${shownDir}: no release.json, so the images are not signed; run nx run ${options.service.name}:release to sign them`,
    );
    return attachManifestDigests(artifacts, records);
  }
  const unsigned = findUnsignedImages(records, release);
  if (unsigned.length > 0) {
    throw new ConfigError(
      `${shownDir}/release.json`,
      'digests',
      unsigned,
      `The images changed since the release: run nx run ${options.service.name}:release again.`,
    );
  }
  // Only the public key is read; isNew matters to the release, which may create the pair.
  const keys = { ...keyPairPaths(join(options.workspaceRoot, '.edgeship', 'keys')), isNew: false };
  for (const record of records) {
    const reference = `${release.registry}/${release.repository}@${record.manifestDigest}`;
    const isVerified = await verifyImage(keys, reference, isLoopback(release.registry), process.env);
    if (!isVerified)
      throw new ToolError(`no valid signature by ${keys.publicKey} on ${reference}`, 'cosign verify', 1, '');
    logger.done(`signature of ${record.archive} verified (${reference})`);
  }
  return attachManifestDigests(artifacts, records, release.repository);
}
