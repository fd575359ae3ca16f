import { ConfigError } from '../../../lib/errors';
import { logger } from '../../../lib/logger';
import type { NormalizedDeployOptions } from './ansible-args';
import { listArtifactFiles, readManifests, resolveArtifacts, type ArtifactMap } from './artifacts';
import { displayPath } from './display-path';
import { verifyContainerArtifacts } from './verify-images';

/** The artifacts the role may deploy, each with the checksum (and, for images, the manifest) to hold it to. */
export async function resolveDeployArtifacts(options: NormalizedDeployOptions): Promise<ArtifactMap> {
  const { service, artifactDir, workspaceRoot } = options;
  // A container service also ships its executables: nodes that cannot run podman fall back to them.
  const deliveries =
    service.delivery === 'container' ? (['container', 'binary'] as const) : (['binary'] as const);
  const files = listArtifactFiles(artifactDir, service.name, [...deliveries]);
  const resolved = await resolveArtifacts(files, readManifests(artifactDir));
  if (!resolved.artifacts[service.delivery]) {
    const wanted = files
      .filter((file) => file.delivery === service.delivery)
      .map((file) => displayPath(workspaceRoot, file.path));
    const target = service.delivery === 'binary' ? 'bundle' : 'image';
    throw new ConfigError(
      displayPath(workspaceRoot, artifactDir),
      `${service.delivery} artifacts`,
      undefined,
      `None of ${wanted.join(', ')} exists. Build them: nx run ${service.name}:${target}.`,
    );
  }
  // Image archives need no such record: their blobs and manifest are content-addressed and checked instead.
  const binaries = new Set(files.filter((file) => file.delivery === 'binary').map((file) => file.path));
  for (const file of resolved.unrecorded.filter((path) => binaries.has(path))) {
    logger.warn(
      `${displayPath(workspaceRoot, file)}: no SHA256SUMS or release.json records it; its checksum was taken now`,
    );
  }
  return verifyContainerArtifacts(options, resolved.artifacts);
}
