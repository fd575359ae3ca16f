import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { runBatch, type BatchResults } from '../../lib/run-batch';
import { rolloutKey } from './lib/ansible-args';
import { normalizeOptions } from './lib/normalize-options';
import { runRollout } from './lib/run-rollout';
import type { DeployExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

/** One service: resolve and verify its artifacts → ansible-playbook deploy.yml → summary table + JSON report. */
export default async function deployExecutor(
  options: DeployExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return runExecutor(async () => {
    const [report] = await runRollout([normalizeOptions(options, context)]);
    return { success: report!.success };
  });
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
): Promise<BatchResults> {
  return runBatch(taskGraph, inputs, context, {
    normalize: normalizeOptions,
    keyOf: rolloutKey,
    run: async (rollout) =>
      (await runRollout(rollout)).map((report) => ({
        success: report.success,
        terminalOutput: JSON.stringify(report),
      })),
  });
}
