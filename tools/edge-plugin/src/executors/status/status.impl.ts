import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { runBatch, type BatchResults } from '../../lib/run-batch';
import { normalizeStatusOptions, statusKey } from './lib/normalize-status-options';
import { printStatus } from './lib/print-status';
import { runStatus } from './lib/run-status';
import { writeStatusHtml } from './lib/write-status-html';
import { isStatusHealthy } from './lib/status-rows';
import type { StatusExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

/**
 * One service: ansible-playbook status.yml (one probe per node) → table or JSON (and the page with --html) →
 * success when all is well.
 */
export default async function statusExecutor(
  options: StatusExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return runExecutor(async () => {
    const normalized = normalizeStatusOptions(options, context);
    const report = await runStatus([normalized]);
    printStatus(report, normalized);
    await writeStatusHtml(report, normalized);
    return { success: report.success };
  });
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
): Promise<BatchResults> {
  return runBatch(taskGraph, inputs, context, {
    normalize: normalizeStatusOptions,
    keyOf: statusKey,
    run: async (services) => {
      const report = await runStatus(services);
      printStatus(report, services[0]!);
      await writeStatusHtml(report, services[0]!);
      return services.map(({ service }) => {
        const rows = report.rows.filter((row) => row.service === service.name);
        return { success: isStatusHealthy(rows), terminalOutput: JSON.stringify(rows) };
      });
    },
  });
}
