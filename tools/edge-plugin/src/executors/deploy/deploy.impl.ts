import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { reportError } from '../../lib/errors';
import { rolloutKey, type NormalizedDeployOptions } from './lib/ansible-args';
import { normalizeOptions } from './lib/normalize-options';
import { runRollout } from './lib/run-rollout';
import type { DeployExecutorOptions } from './schema';

/** One service: resolve and verify its artifacts → ansible-playbook deploy.yml → summary table + JSON report. */
export default async function deployExecutor(
  options: DeployExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    const [report] = await runRollout([normalizeOptions(options, context)]);
    return { success: report!.success };
  } catch (error) {
    reportError(error);
    return { success: false };
  }
}

/**
 * Nx's batch implementation (executors.json): every deploy task of one `nx run-many`/`nx affected` call that
 * shares an inventory and rollout options goes out in ONE Ansible run, nodes probed once, canary and failure
 * threshold still per service, one summary. Tasks with other options get a rollout of their own.
 */
export async function deployBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, DeployExecutorOptions>,
  _overrides: DeployExecutorOptions,
  context: ExecutorContext,
): Promise<Record<string, { success: boolean; terminalOutput: string }>> {
  const rollouts = new Map<string, { taskId: string; options: NormalizedDeployOptions }[]>();
  const results: Record<string, { success: boolean; terminalOutput: string }> = {};
  for (const [taskId, options] of Object.entries(inputs)) {
    const project = taskGraph.tasks[taskId]!.target.project;
    try {
      const normalized = normalizeOptions(options, { ...context, projectName: project });
      const key = rolloutKey(normalized);
      rollouts.set(key, [...(rollouts.get(key) ?? []), { taskId, options: normalized }]);
    } catch (error) {
      reportError(error);
      results[taskId] = { success: false, terminalOutput: String(error) };
    }
  }
  for (const tasks of rollouts.values()) {
    try {
      const reports = await runRollout(tasks.map((task) => task.options));
      for (const [index, task] of tasks.entries()) {
        const report = reports[index]!;
        results[task.taskId] = { success: report.success, terminalOutput: JSON.stringify(report) };
      }
    } catch (error) {
      reportError(error);
      for (const task of tasks) results[task.taskId] = { success: false, terminalOutput: String(error) };
    }
  }
  return results;
}
