import type { ExecutorContext } from '@nx/devkit';

/**
 * The ExecutorContext an executor's own functions need when a workspace script runs them for several services
 * without an Nx start-up (`npm run status`, `npm run rollback`): each service under packages/<name>.
 */
export function servicesContext(workspaceRoot: string, services: readonly string[]): ExecutorContext {
  return {
    root: workspaceRoot,
    cwd: process.cwd(),
    isVerbose: false,
    projectsConfigurations: {
      version: 2,
      projects: Object.fromEntries(services.map((name) => [name, { root: `packages/${name}` }])),
    },
  } as unknown as ExecutorContext;
}
