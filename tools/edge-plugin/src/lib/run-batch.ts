import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { reportError } from '@edgeship/edge-common';

export type BatchResults = Record<string, { success: boolean; terminalOutput: string }>;

export interface BatchSteps<Options, Normalized> {
  /** One task's options for its project (the context names it), checked; throws a ConfigError when wrong. */
  normalize: (options: Options, context: ExecutorContext) => Normalized;
  /** What tasks must share to go out in one run (an inventory and options): everything but the project. */
  keyOf: (options: Normalized) => string;
  /** One run for a group; one result per task of the group, in order. */
  run: (group: Normalized[]) => Promise<{ success: boolean; terminalOutput: string }[]>;
}

/**
 * Nx's batch implementations (deploy, status): every task of one `nx run-many`/`nx affected` call whose
 * options share a key goes out in ONE run; a task whose options are wrong fails alone, with its error
 * reported, and a run that throws fails its group's tasks only.
 */
export async function runBatch<Options, Normalized>(
  taskGraph: TaskGraph,
  inputs: Record<string, Options>,
  context: ExecutorContext,
  steps: BatchSteps<Options, Normalized>,
): Promise<BatchResults> {
  const groups = new Map<string, { taskId: string; options: Normalized }[]>();
  const results: BatchResults = {};
  for (const [taskId, options] of Object.entries(inputs)) {
    const project = taskGraph.tasks[taskId]!.target.project;
    try {
      const normalized = steps.normalize(options, { ...context, projectName: project });
      const key = steps.keyOf(normalized);
      groups.set(key, [...(groups.get(key) ?? []), { taskId, options: normalized }]);
    } catch (error) {
      reportError(error);
      results[taskId] = { success: false, terminalOutput: String(error) };
    }
  }
  for (const tasks of groups.values()) {
    try {
      const outcomes = await steps.run(tasks.map((task) => task.options));
      for (const [index, task] of tasks.entries()) results[task.taskId] = outcomes[index]!;
    } catch (error) {
      reportError(error);
      for (const task of tasks) results[task.taskId] = { success: false, terminalOutput: String(error) };
    }
  }
  return results;
}
