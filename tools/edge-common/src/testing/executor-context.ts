import type { ExecutorContext } from '@nx/devkit';

/** The fields of Nx's ExecutorContext that edgeship executors read, for calling them in tests. */
export function executorContext(root: string, projectName: string, projectRoot: string): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName,
    projectsConfigurations: { version: 2, projects: { [projectName]: { root: projectRoot } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
}
