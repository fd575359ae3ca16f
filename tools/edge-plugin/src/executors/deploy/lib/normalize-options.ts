import type { ExecutorContext } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { inventoryPathOf, ConfigError } from '@edgeship/edge-common';
import { resolveProjectRoot } from '../../../lib/project';
import { checkSemver } from '../../../lib/semver';
import { readEdgeshipMarker } from '../../../plugins/marker';
import type { DeployExecutorOptions } from '../schema';
import { parseSerial, type NormalizedDeployOptions } from './ansible-args';
import { decideTrustPolicy } from './trust-policy';

/** Options + the service's package.json marker → everything the deploy needs, paths absolute. */
export function normalizeOptions(
  options: DeployExecutorOptions,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv = process.env,
): NormalizedDeployOptions {
  const projectRoot = resolveProjectRoot(context);
  const manifestFile = join(projectRoot, 'package.json');
  const manifest = JSON.parse(readFileSync(join(context.root, manifestFile), 'utf8')) as Record<
    string,
    unknown
  >;
  const marker = readEdgeshipMarker(manifest, manifestFile);
  if (marker?.kind !== 'service') {
    throw new ConfigError(
      manifestFile,
      'edgeship.kind',
      marker?.kind,
      'Only services deploy: set "kind": "service".',
    );
  }
  const absolute = (path: string): string => (isAbsolute(path) ? path : join(context.root, path));
  const inventories = options.inventory
    ? [options.inventory].flat().map(absolute)
    : [inventoryPathOf(context.root, options.fleet ?? 'default')];
  return {
    workspaceRoot: context.root,
    playbookDir: join(context.root, 'playbooks'),
    service: {
      name: marker.name,
      version: marker.version,
      port: marker.port,
      delivery: options.delivery ?? marker.delivery,
      // The marker's optional stateDirectory: true gives the unit a writable state dir kept across releases.
      stateDirectory: readsStateDirectory(manifest),
    },
    // --version reaches release.env, release directory names and the role's assert: checked like the marker's.
    ...(options.version === undefined
      ? {}
      : {
          versionOverride: checkSemver(
            options.version,
            `${context.projectName} deploy options (--version)`,
            'version',
          ),
        }),
    trust: decideTrustPolicy(
      { workspaceRoot: context.root, inventories, allowUnsigned: options.allowUnsigned ?? false },
      env,
    ),
    isDeliveryForced: options.delivery !== undefined,
    inventories,
    hosts: options.hosts ?? 'edge',
    limit: options.limit,
    serial: parseSerial(options.serial ?? '1,100%'),
    maxFailPercentage: options.maxFailPercentage ?? 0,
    containerFallback: options.containerFallback ?? 'binary',
    artifactDir: absolute(options.artifactDir ?? join('dist', marker.name)),
    healthTimeout: options.healthTimeout ?? 60,
    stabilityWindow: options.stabilityWindow ?? 10,
    keepReleases: options.keepReleases ?? 3,
    extraVars: options.extraVars ?? {},
    reportFile: absolute(options.report ?? join('dist', marker.name, 'deploy-report.json')),
    json: options.json ?? false,
    verbose: options.verbose ?? false,
  };
}

function readsStateDirectory(manifest: Record<string, unknown>): boolean {
  const marker = manifest['edgeship'] as Record<string, unknown> | undefined;
  return marker?.['stateDirectory'] === true;
}
