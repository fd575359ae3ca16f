import type { ExecutorContext } from '@nx/devkit';
import { isAbsolute, join } from 'node:path';
import { inventoryPathOf } from '@edgeship/edge-common';
import { resolveProjectRoot } from '../../../lib/project';
import { checkSemver } from '../../../lib/semver';
import { readServiceManifest } from '../../../lib/service-manifest';
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
  const marker = readServiceManifest(
    context.root,
    projectRoot,
    'Only services deploy: set "kind": "service".',
  );
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
      stateDirectory: marker.stateDirectory === true,
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
    maxFailPercentage: options.maxFailPercentage,
    containerFallback: options.containerFallback,
    artifactDir: absolute(options.artifactDir ?? join('dist', marker.name)),
    // Only what the user set: the role's defaults/main.yml owns the defaults (see NormalizedDeployOptions).
    healthTimeout: options.healthTimeout,
    stabilityWindow: options.stabilityWindow,
    keepReleases: options.keepReleases,
    extraVars: options.extraVars ?? {},
    reportFile: absolute(options.report ?? join('dist', marker.name, 'deploy-report.json')),
    json: options.json ?? false,
    verbose: options.verbose ?? false,
  };
}
