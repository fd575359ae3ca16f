import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playbookArgs, type NormalizedDeployOptions } from '../../deploy/lib/ansible-args';
import type { AnsibleReport } from '../../deploy/lib/deploy-report';
import { readInventoryHosts } from '../../deploy/lib/inventory';
import { runPlaybook } from '../../deploy/lib/run-playbook';

export interface ReadNodesRun extends Pick<
  NormalizedDeployOptions,
  'workspaceRoot' | 'playbookDir' | 'inventories' | 'hosts' | 'limit' | 'verbose'
> {
  /** A read-only playbook of playbookDir: status.yml, logs.yml. */
  playbook: string;
  extraVars: Record<string, unknown>;
}

/**
 * Runs a read-only playbook (status.yml, logs.yml) and returns the edge_report callback's per-node report.
 * The inventories are parsed first, so a broken file is named with its line before Ansible starts; Ansible's
 * own output shows only with verbose (the table is the answer), and is kept for the error of a failed run.
 */
export async function readNodes(run: ReadNodesRun): Promise<AnsibleReport> {
  for (const file of run.inventories) readInventoryHosts(file, run.hosts, run.workspaceRoot);
  // Nothing of a read belongs in dist/: the callback's file goes to a scratch directory.
  const scratch = await mkdtemp(join(tmpdir(), 'edgeship-read-'));
  try {
    const { report } = await runPlaybook({
      playbookDir: run.playbookDir,
      args: playbookArgs(run.playbook, run, run.extraVars),
      reportFile: join(scratch, 'report'),
      stream: run.verbose,
    });
    return report;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
