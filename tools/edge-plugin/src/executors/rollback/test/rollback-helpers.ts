import { runCommand, type RunResult } from '@edgeship/edge-common';
import { WORKSPACE_ROOT } from '../../deploy/test/fleet-helpers';
import type { StatusReport } from '../../status/lib/run-status';
import type { StatusRow } from '../../status/lib/status-rows';
import { statusCommand } from '../../status/test/day2-helpers';
import type { RollbackReport } from '../lib/run-rollback';

/** `npm run rollback -- … --json` as a person runs it: exit code, the JSON report, stderr. */
export async function rollbackCommand(
  args: string[],
): Promise<RunResult & { report: RollbackReport | undefined }> {
  const run = await runCommand('node', ['--import', 'tsx', 'tools/scripts/rollback.ts', ...args], {
    cwd: WORKSPACE_ROOT,
    check: false,
    timeoutMs: 10 * 60_000,
  });
  let report: RollbackReport | undefined;
  try {
    report = JSON.parse(run.stdout) as RollbackReport;
  } catch {
    report = undefined;
  }
  return { ...run, report };
}

/** `npm run status -- --json` rows of one service, with the last `history` records of each node. */
export async function statusRows(inventory: string, service: string, history = 5): Promise<StatusRow[]> {
  const run = await statusCommand([
    ...['--inventory', inventory, '--projects', service, '--json', '--history', String(history)],
  ]);
  return (JSON.parse(run.stdout) as StatusReport).rows;
}

/** What a failed assertion shows: the command's whole answer. */
export function describeRun(run: RunResult): string {
  return `exit ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}
