import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { deployBatch } from '../deploy.impl';
import type { DeployExecutorOptions } from '../schema';
import { WORKSPACE_ROOT } from './fleet-helpers';

/**
 * Runs deploy tasks of this workspace's services through the batch implementation, the way Nx hands them
 * over (`npm start`, `nx affected -t deploy`): one task per service, each with its own options.
 */
export function runDeployBatch(
  optionsByService: Record<string, DeployExecutorOptions>,
  workspaceRoot = WORKSPACE_ROOT,
): ReturnType<typeof deployBatch> {
  const inputs: Record<string, DeployExecutorOptions> = {};
  const tasks: TaskGraph['tasks'] = {};
  for (const [service, options] of Object.entries(optionsByService)) {
    const id = `${service}:deploy`;
    tasks[id] = { id, target: { project: service, target: 'deploy' }, overrides: {}, outputs: [] } as never;
    inputs[id] = options;
  }
  const services = Object.keys(optionsByService);
  const context = {
    root: workspaceRoot,
    cwd: workspaceRoot,
    isVerbose: false,
    projectsConfigurations: {
      version: 2,
      projects: Object.fromEntries(services.map((service) => [service, { root: `packages/${service}` }])),
    },
  } as unknown as ExecutorContext;
  return deployBatch({ tasks } as TaskGraph, inputs, {}, context);
}
