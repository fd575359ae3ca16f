import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { runBatch, type BatchResults } from '../../lib/run-batch';
import { normalizeRollbackOptions, rollbackKey } from './lib/normalize-rollback-options';
import { printRollback } from './lib/print-rollback';
import { runRollback } from './lib/run-rollback';
import type { RollbackExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

/** One service: read the nodes, plan each one's target (or refuse), rollback.yml canary first → table or JSON. */
export default async function rollbackExecutor(
  options: RollbackExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return runExecutor(async () => {
    const normalized = normalizeRollbackOptions(options, context);
    const report = await runRollback([normalized]);
    printRollback(report, normalized);
    return { success: report.success };
  });
}

/**
 * Nx's batch implementation (executors.json): every rollback task of one `nx run-many -t rollback` that shares
 * an inventory and options is planned from ONE read and switched in ONE Ansible run, one table.
 */
export async function rollbackBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, RollbackExecutorOptions>,
  _overrides: RollbackExecutorOptions,
  context: ExecutorContext,
): Promise<BatchResults> {
  return runBatch(taskGraph, inputs, context, {
    normalize: normalizeRollbackOptions,
    keyOf: rollbackKey,
    run: async (services) => {
      const report = await runRollback(services);
      printRollback(report, services[0]!);
      return services.map(({ service }) => {
        const rows = report.rows.filter((row) => row.service === service.name);
        const refused = report.refused.filter((refusal) => refusal.service === service.name);
        const success =
          report.refused.length === 0 && rows.length > 0 && rows.every((row) => row.health === 'healthy');
        return { success, terminalOutput: JSON.stringify({ rows, refused }) };
      });
    },
  });
}
