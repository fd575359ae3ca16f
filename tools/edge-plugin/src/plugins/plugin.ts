import type { CreateNodesV2, TargetConfiguration } from '@nx/devkit';
// Every nx call loads this plugin. @nx/devkit re-exports createNodesFromFiles from nx's own devkit-exports,
// which nx has loaded already; the devkit's index adds ~50 ms of modules the plugin does not use
// (bench/results/nx-startup.md).
import { createNodesFromFiles } from 'nx/src/devkit-exports';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readEdgeshipMarker, type DeliveryMode, type EdgeshipMarker } from '../lib/service-manifest';
import { PROJECT_FILES_GLOB, projectKindOf } from './project-files';
import { formatTarget, target } from './target';
import { inferToolkitTargets } from './toolkit-targets';

/**
 * Finds edgeship projects by the `edgeship` marker in their package.json and infers their
 * targets, so adding a service is adding a folder: no project.json to keep in step. The toolkit's
 * projects (tools/*, pipelines/, playbooks/) get format and test (toolkit-targets.ts).
 */
export const createNodesV2: CreateNodesV2 = [
  PROJECT_FILES_GLOB,
  (files, _options, context) =>
    createNodesFromFiles(
      (file) => {
        const root = dirname(file);
        const kind = projectKindOf(file);
        if (kind === 'toolkit') return { projects: { [root]: { targets: inferToolkitTargets() } } };
        if (kind !== 'package') return {};
        const manifest = JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8')) as Record<
          string,
          unknown
        >;
        const marker = readEdgeshipMarker(manifest, file);
        if (!marker) return {};
        return { projects: { [root]: { targets: inferTargets(marker) } } };
      },
      files,
      _options,
      context,
    ),
];

export const createNodes = createNodesV2;

function inferTargets(marker: EdgeshipMarker): Record<string, TargetConfiguration> {
  const common = {
    format: formatTarget(),
    test: target('test', "Run the project's unit tests (node:test).", {
      cache: true,
      inputs: ['default', '^production'],
      outputs: [],
    }),
  };
  if (marker.kind === 'library') return common;
  return {
    ...common,
    lock: target(
      'lock',
      'Verify the root lockfile and write a pruned lockfile for this service that really installs.',
      {
        cache: true,
        // Not the whole lockfile or every package.json: Nx counts workspace-level inputs as touching
        // the project, so adding one service would mark every service affected. Nx already hashes
        // the project's resolved external dependencies from the lockfile into this task's hash.
        inputs: ['{workspaceRoot}/package.json', '{projectRoot}/package.json', '^production'],
        outputs: ['{workspaceRoot}/dist/{projectName}/lock'],
      },
    ),
    bundle: target(
      'bundle',
      'esbuild bundle, then a Node.js single executable for linux-arm64 and linux-x64.',
      {
        cache: true,
        dependsOn: ['lock'],
        inputs: ['production', '^production', '{workspaceRoot}/package.json'],
        outputs: ['{workspaceRoot}/dist/{projectName}/bundle', '{workspaceRoot}/dist/{projectName}/bin'],
      },
    ),
    image: target('image', 'Build the service image for linux/arm64 and linux/amd64 with docker buildx.', {
      cache: true,
      dependsOn: ['bundle'],
      inputs: ['production', '^production', '{workspaceRoot}/package.json'],
      outputs: ['{workspaceRoot}/dist/{projectName}/image'],
    }),
    release: target(
      'release',
      'Push the images, create the multi-arch manifest, sign it with cosign, verify.',
      {
        cache: false,
        dependsOn: ['image'],
      },
    ),
    deploy: target('deploy', 'Deploy the service to the edge fleet with Ansible: rolling, health-gated.', {
      cache: false,
      dependsOn: deployDependsOn(marker.delivery),
    }),
    // Day-2: read what the nodes run. Nothing is built first and nothing cached: the answer is the fleet's now.
    status: target(
      'status',
      'Per node: current release, unit state, health, since, releases kept, last deploy (one probe per node).',
      { cache: false },
    ),
    // Day-2: back to a release the nodes keep. Nothing is built first: the release is on the nodes already.
    rollback: target(
      'rollback',
      'Back to the previous release each node keeps, or --to one: canary first, health-gated, rolled forward on failure.',
      { cache: false },
    ),
    logs: target('logs', "The service's journal from each node (--lines, --since, --follow).", {
      cache: false,
    }),
  };
}

/**
 * What a deploy needs built first: the executables always (a container service's nodes without podman fall
 * back to them), the images only for a service delivered as a container. `npm start` builds these before one
 * rollout of every service.
 */
export function deployDependsOn(delivery: DeliveryMode): Array<'bundle' | 'image'> {
  return delivery === 'container' ? ['bundle', 'image'] : ['bundle'];
}
