import type { PipelineScope } from './scope';
import type { PipelineStage } from './stages';

export interface StageCommandOptions {
  /** Absolute path of the inventory file, given to the deploy stage only. */
  inventory?: string;
}

/**
 * The nx arguments for one stage: the same targets CI runs, one stage per call so each gets its
 * own progress line and figures. Stream output is live and parseable; the terminal UI is neither.
 */
export function buildStageArgs(
  stage: PipelineStage,
  scope: PipelineScope,
  options: StageCommandOptions = {},
): string[] {
  const selection =
    scope.kind === 'all'
      ? ['run-many', '--all', '-t', stage.target]
      : [
          'affected',
          '-t',
          stage.target,
          `--base=${scope.baseSha}`,
          ...(scope.head ? [`--head=${scope.head}`] : []),
        ];
  const parallel = stage.parallel !== undefined ? [`--parallel=${stage.parallel}`] : [];
  const inventory = stage.needsInventory && options.inventory ? [`--inventory=${options.inventory}`] : [];
  return [...selection, '--outputStyle=stream', ...parallel, ...inventory];
}

/** The command line as a user would type it, for progress lines and error messages. */
export function describeCommand(args: readonly string[]): string {
  return ['nx', ...args.filter((arg) => arg !== '--outputStyle=stream')].join(' ');
}
