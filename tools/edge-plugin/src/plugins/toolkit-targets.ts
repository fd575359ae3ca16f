import type { TargetConfiguration } from '@nx/devkit';
import { formatTarget, target } from './target';

/**
 * format and test for a project of the toolkit (tools/*, pipelines/, playbooks/), so that
 * `nx affected -t test` in CI runs the specs of the tools a change reaches, as `npm test` runs them all.
 */
export function inferToolkitTargets(): Record<string, TargetConfiguration> {
  return {
    format: formatTarget(),
    test: target(
      'test',
      'Run every spec of the project, unit and integration (node:test, one file at a time, as npm test does).',
      {
        // Integration specs (*/test/) copy the workspace, build services and start docker fleets: what they
        // read is the machine and the whole tree, more than any input list names, so a result is never reused.
        cache: false,
        // What `nx affected -t test` matches a change against (Nx selects tasks by their inputs): the project and
        // the code it imports. A project whose specs read other folders adds them in its own configuration.
        inputs: ['default', '^production'],
        // One file at a time and no other task beside it, as `npm test` runs them: fleets, builds and the
        // machine's registry (127.0.0.1:5000) are shared.
        parallelism: false,
        options: { concurrency: 1 },
      },
    ),
  };
}
