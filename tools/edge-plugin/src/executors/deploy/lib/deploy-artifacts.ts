import { readBuildRecord, EXECUTABLES_RECORD } from '../../../lib/build-record';
import { ConfigError, logger } from '@edgeship/edge-common';
import type { NormalizedDeployOptions, ServiceDeploy } from './ansible-args';
import { artifactMap, readReleasedRepository } from './artifacts';
import { displayPath } from './display-path';
import { establishTrust } from './trusted-build';

/**
 * The service's build record (signed, where the trust policy wants it so) → the artifacts the role may deploy,
 * each with the sha256 (and, for images, the manifest digest) to hold it to, and the version that was built.
 */
export async function resolveDeployArtifacts(options: NormalizedDeployOptions): Promise<ServiceDeploy> {
  const { service, artifactDir, workspaceRoot } = options;
  const shown = displayPath(workspaceRoot, artifactDir);
  const built = readBuildRecord(artifactDir, shown);
  if (!built)
    throw new ConfigError(
      `${shown}/${EXECUTABLES_RECORD}`,
      'build record',
      undefined,
      `${service.name} has no build here. Build it: nx run ${service.name}:bundle (and :image for container delivery).`,
    );
  if (built.service !== service.name)
    throw new ConfigError(
      `${shown}/${EXECUTABLES_RECORD}`,
      'service',
      built.service,
      `It describes another service than ${service.name}: point artifactDir at ${service.name}'s build.`,
    );
  const { record, isSigned, signed } = await establishTrust(built, artifactDir, shown, options.trust);
  if (options.versionOverride === undefined && record.version !== service.version)
    logger.warn(
      `${service.name}: package.json says ${service.version}, but ${shown} holds the build of ${record.version}: ` +
        `deploying ${record.version}. Build again (nx run ${service.name}:bundle) to deploy ${service.version}.`,
    );
  // A container service also ships its executables: nodes that cannot run podman fall back to them.
  const deliveries =
    service.delivery === 'container' ? (['container', 'binary'] as const) : (['binary'] as const);
  const repository = isSigned ? readReleasedRepository(artifactDir, record) : undefined;
  const artifacts = artifactMap(record, artifactDir, deliveries, repository);
  if (!artifacts[service.delivery]) {
    const target = service.delivery === 'binary' ? 'bundle' : 'image';
    throw new ConfigError(
      `${shown}/${service.delivery === 'binary' ? EXECUTABLES_RECORD : 'image/image.json'}`,
      `${service.delivery} artifacts`,
      undefined,
      `The build record lists none. Build them: nx run ${service.name}:${target}.`,
    );
  }
  const version = options.versionOverride ?? record.version;
  return {
    options: { ...options, service: { ...service, version } },
    artifacts,
    ...(signed ? { signedRecord: signed } : {}),
  };
}
