import type { AffectedProjects } from './affected-tasks';
import { buildStageArgs, describeCommand, type StageCommandOptions } from './nx-args';
import type { PipelineScope } from './scope';
import type { PipelineStage } from './stages';

export interface PlannedStage {
  stage: PipelineStage;
  /** The nx arguments, or undefined when the stage has nothing to do and no nx call is made. */
  args: string[] | undefined;
  /** The command as a user would type it, or why there is none. */
  command: string;
}

/**
 * The pipeline's one decision, made before any stage runs: a full run gives every stage
 * `run-many --all`; an affected run gives each stage the projects the change reaches for its
 * target (from one `nx affected --graph` call), and no nx call at all where there are none.
 */
export function planStages(
  stages: readonly PipelineStage[],
  scope: PipelineScope,
  affected: AffectedProjects | undefined,
  options: StageCommandOptions = {},
): PlannedStage[] {
  return stages.map((stage) => {
    if (scope.kind === 'all') {
      const args = buildStageArgs(stage, { kind: 'all' }, options);
      return { stage, args, command: describeCommand(args) };
    }
    const projects = affected?.[stage.target] ?? [];
    if (projects.length === 0) return { stage, args: undefined, command: 'nothing affected' };
    const args = buildStageArgs(stage, { kind: 'projects', projects }, options);
    return { stage, args, command: describeCommand(args) };
  });
}

/** True when the plan makes no nx call: the change reaches no task of any stage. */
export function isNothingAffected(plan: readonly PlannedStage[]): boolean {
  return plan.every((planned) => planned.args === undefined);
}
