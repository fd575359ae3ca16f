/** Which projects one stage's nx call runs on. */
export type StageSelection = { kind: 'all' } | { kind: 'projects'; projects: readonly string[] };

export interface StageCommandOptions {
  /** Absolute path of the inventory file, given to the deploy stage only. */
  inventory?: string;
}

export interface StageTarget {
  target: string;
  needsInventory: boolean;
  parallel?: number;
}

/**
 * The nx arguments for one stage: one stage per call so each gets its own progress line and
 * figures. The projects come from the pipeline's one affected decision (affected-tasks.ts), so a
 * stage does not ask Nx again. Stream output is live and parseable; the terminal UI is neither.
 */
export function buildStageArgs(
  stage: StageTarget,
  selection: StageSelection,
  options: StageCommandOptions = {},
): string[] {
  const select =
    selection.kind === 'all'
      ? ['run-many', '--all', '-t', stage.target]
      : ['run-many', '-t', stage.target, `--projects=${selection.projects.join(',')}`];
  const parallel = stage.parallel !== undefined ? [`--parallel=${stage.parallel}`] : [];
  const inventory = stage.needsInventory && options.inventory ? [`--inventory=${options.inventory}`] : [];
  return [...select, '--outputStyle=stream', ...parallel, ...inventory];
}

/** The command line as a user would type it, for progress lines and error messages. */
export function describeCommand(args: readonly string[]): string {
  return ['nx', ...args.filter((arg) => arg !== '--outputStyle=stream')].join(' ');
}
