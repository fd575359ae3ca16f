import { readFile, rm } from 'node:fs/promises';
import { ToolError, runCommand } from '@edgeship/edge-common';
import { ansibleEnv } from './ansible-args';
import type { AnsibleReport } from './deploy-report';

export interface PlaybookRun {
  /** playbooks/ of the workspace: ansible.cfg and the playbooks live there. */
  playbookDir: string;
  /** ansible-playbook's arguments (playbookArgs). */
  args: string[];
  /** The edge_report callback writes `<reportFile>.ansible.json`, read and removed here. */
  reportFile: string;
  /** Stream Ansible's own output while it runs (it is captured either way). */
  stream: boolean;
}

/**
 * The one place an edgeship playbook runs (deploy.yml, status.yml, logs.yml): returns what the edge_report
 * callback wrote (per node: recap, set_stats data, why it failed or was unreachable) and Ansible's exit code.
 */
export async function runPlaybook(run: PlaybookRun): Promise<{ report: AnsibleReport; exitCode: number }> {
  const env = ansibleEnv(run, run.stream && Boolean(process.stdout.isTTY));
  const rawReportFile = env.EDGESHIP_DEPLOY_REPORT!;
  await rm(rawReportFile, { force: true });
  const result = await runCommand('ansible-playbook', run.args, {
    cwd: run.playbookDir,
    env: { ...process.env, ...env },
    stream: run.stream,
    check: false,
  });
  const raw = await readFile(rawReportFile, 'utf8').catch(() => undefined);
  // No report: Ansible stopped before the play ran (a bad inventory, a syntax error); its own words say why.
  if (!raw)
    throw new ToolError(
      `ansible-playbook ${run.args[0]} stopped before reaching any node`,
      `ansible-playbook ${run.args[0]}`,
      result.exitCode,
      result.stderr || result.stdout,
    );
  await rm(rawReportFile, { force: true });
  return { report: JSON.parse(raw) as AnsibleReport, exitCode: result.exitCode };
}
