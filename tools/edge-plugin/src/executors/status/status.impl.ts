import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { reportError } from '../../lib/errors';
import {
  normalizeStatusOptions,
  statusKey,
  type NormalizedStatusOptions,
} from './lib/normalize-status-options';
import { printStatus } from './lib/print-status';
import { runStatus } from './lib/run-status';
import { isStatusHealthy } from './lib/status-rows';
import type { StatusExecutorOptions } from './schema';

/** One service: ansible-playbook status.yml (one probe per node) → table or JSON → success when all is well. */
export default async function statusExecutor(
  options: StatusExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    const normalized = normalizeStatusOptions(options, context);
    const report = await runStatus([normalized]);
    printStatus(report, normalized);
    return { success: report.success };
  } catch (error) {
    reportError(error);
    return { success: false };
  }
}

/**
 * Nx's batch implementation (executors.json): every status task of one `nx run-many -t status` that shares
 * an inventory and options is read in ONE Ansible run (one probe per node for all services) and one table.
 */
export async function statusBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, StatusExecutorOptions>,
  _overrides: StatusExecutorOptions,
  context: ExecutorContext,
): Promise<Record<string, { success: boolean; terminalOutput: string }>> {
  const groups = new Map<string, { taskId: string; options: NormalizedStatusOptions }[]>();
  const results: Record<string, { success: boolean; terminalOutput: string }> = {};
  for (const [taskId, options] of Object.entries(inputs)) {
    const project = taskGraph.tasks[taskId]!.target.project;
    try {
      const normalized = normalizeStatusOptions(options, { ...context, projectName: project });
      const key = statusKey(normalized);
      groups.set(key, [...(groups.get(key) ?? []), { taskId, options: normalized }]);
    } catch (error) {
      reportError(error);
      results[taskId] = { success: false, terminalOutput: String(error) };
    }
  }
  for (const tasks of groups.values()) {
    try {
      const report = await runStatus(tasks.map((task) => task.options));
      printStatus(report, tasks[0]!.options);
      for (const { taskId, options } of tasks) {
        const rows = report.rows.filter((row) => row.service === options.service.name);
        results[taskId] = { success: isStatusHealthy(rows), terminalOutput: JSON.stringify(rows) };
      }
    } catch (error) {
      reportError(error);
      for (const task of tasks) results[task.taskId] = { success: false, terminalOutput: String(error) };
    }
  }
  return results;
}
