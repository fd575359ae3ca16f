import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from '../../../lib/errors';
import { runCommand } from '../../../lib/run-command';
import { ansibleEnv } from '../../deploy/lib/ansible-args';
import type { AnsibleReport } from '../../deploy/lib/deploy-report';
import { readInventoryHosts } from '../../deploy/lib/inventory';

export interface PlaybookRun {
  workspaceRoot: string;
  playbookDir: string;
  /** A playbook of playbookDir: status.yml, logs.yml. */
  playbook: string;
  inventories: string[];
  hosts: string;
  limit?: string;
  extraVars: Record<string, unknown>;
  /** Stream Ansible's own output (otherwise it is kept for the error a failed run throws). */
  verbose: boolean;
}

/**
 * Runs a read-only playbook and returns what the edge_report callback wrote: per node, its recap, its
 * set_stats data and the reason it failed or was unreachable. The inventories are parsed first, so a broken
 * file is named with its line before Ansible starts.
 */
export async function runPlaybookReport(run: PlaybookRun): Promise<AnsibleReport> {
  for (const file of run.inventories) readInventoryHosts(file, run.hosts, run.workspaceRoot);
  const scratch = await mkdtemp(join(tmpdir(), 'edgeship-report-'));
  try {
    const env = ansibleEnv(
      { playbookDir: run.playbookDir, reportFile: join(scratch, 'report') },
      Boolean(process.stdout.isTTY) && run.verbose,
    );
    const args = [
      run.playbook,
      ...run.inventories.flatMap((inventory) => ['--inventory', inventory]),
      ...(run.limit ? ['--limit', run.limit] : []),
      '--extra-vars',
      JSON.stringify(run.extraVars),
      ...(run.verbose ? ['-v'] : []),
    ];
    const result = await runCommand('ansible-playbook', args, {
      cwd: run.playbookDir,
      env: { ...process.env, ...env },
      stream: run.verbose,
      check: false,
    });
    const raw = await readFile(env.EDGESHIP_DEPLOY_REPORT!, 'utf8').catch(() => undefined);
    // No report: Ansible stopped before the play ran (an inventory it cannot use, no host matched); its words say why.
    if (!raw)
      throw new ToolError(
        `ansible-playbook ${run.playbook} stopped before reading any node`,
        `ansible-playbook ${args.join(' ')}`,
        result.exitCode,
        result.stderr || result.stdout,
      );
    return JSON.parse(raw) as AnsibleReport;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
