import type { ExecutorContext } from '@nx/devkit';

/** The project root (relative to the workspace) of the project an executor runs for. */
export function resolveProjectRoot(context: ExecutorContext): string {
  const name = context.projectName;
  const project = name ? context.projectsConfigurations?.projects[name] : undefined;
  if (!project) throw new Error(`Nx gave no project configuration for "${name ?? '(none)'}"`);
  return project.root;
}
