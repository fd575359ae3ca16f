import type { TargetConfiguration } from '@nx/devkit';

const PLUGIN = '@edgeship/edge-plugin';

/** A target run by one of this plugin's executors, described so that `nx show project` explains it. */
export function target(
  executor: string,
  description: string,
  config: Omit<TargetConfiguration, 'executor' | 'metadata'>,
): TargetConfiguration {
  return {
    executor: `${PLUGIN}:${executor}`,
    ...config,
    metadata: { technologies: ['edgeship'], description },
  };
}

/** Prettier's check of every file of the project: the same target for services and the toolkit. */
export function formatTarget(): TargetConfiguration {
  return target(
    'format',
    'Check that Prettier leaves every file of the project unchanged (--fix rewrites).',
    {
      cache: true,
      inputs: ['{projectRoot}/**/*', '{workspaceRoot}/.prettierrc.json', '{workspaceRoot}/.prettierignore'],
      outputs: [],
    },
  );
}
