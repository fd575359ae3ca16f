import type { ExecutorContext } from '@nx/devkit';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { reportError, ToolError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { runCommand } from '../../lib/run-command';
import { ansibleArgs, ansibleEnv } from './lib/ansible-args';
import { resolveDeployArtifacts } from './lib/deploy-artifacts';
import { isDeploySuccessful, summarizeReport, type AnsibleReport } from './lib/deploy-report';
import { readInventoryHosts } from './lib/inventory';
import { listLimitedHosts } from './lib/limited-hosts';
import { normalizeOptions } from './lib/normalize-options';
import { printSummary, type DeployReport } from './lib/print-summary';
import type { DeployExecutorOptions } from './schema';

/** Resolve and verify artifacts → ansible-playbook deploy.yml (streamed) → summary table + JSON report. */
export default async function deployExecutor(
  options: DeployExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    const normalized = normalizeOptions(options, context);
    const { service, hosts } = normalized;
    const inGroup = normalized.inventories.flatMap(
      (file) => readInventoryHosts(file, hosts, context.root) ?? [],
    );
    const targeted = normalized.limit ? await listLimitedHosts(normalized, normalized.limit) : inGroup;
    const artifacts = await resolveDeployArtifacts(normalized);
    logger.step(
      `deploy ${service.name} ${service.version} (${service.delivery}) to ${hosts}, serial ${normalized.serial.join(',')}`,
    );
    const started = Date.now();
    const env = ansibleEnv(normalized, Boolean(process.stdout.isTTY));
    await rm(env.EDGESHIP_DEPLOY_REPORT!, { force: true });
    const args = ansibleArgs(normalized, artifacts);
    const run = await runCommand('ansible-playbook', args, {
      cwd: normalized.playbookDir,
      env: { ...process.env, ...env },
      stream: true,
      check: false,
    });
    const raw = await readFile(env.EDGESHIP_DEPLOY_REPORT!, 'utf8').catch(() => undefined);
    // No report: Ansible stopped before the play ran (a bad inventory, a syntax error); its own words say why.
    if (!raw)
      throw new ToolError(
        'ansible-playbook stopped before deploying',
        `ansible-playbook ${args[0]}`,
        run.exitCode,
        run.stderr || run.stdout,
      );
    await rm(env.EDGESHIP_DEPLOY_REPORT!, { force: true });
    const nodes = summarizeReport(JSON.parse(raw) as AnsibleReport, targeted);
    const report: DeployReport = {
      service: service.name,
      version: service.version,
      success: isDeploySuccessful(nodes, run.exitCode),
      exitCode: run.exitCode,
      seconds: (Date.now() - started) / 1000,
      nodes,
    };
    await mkdir(dirname(normalized.reportFile), { recursive: true });
    await writeFile(normalized.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    printSummary(normalized, report);
    return { success: report.success };
  } catch (error) {
    reportError(error);
    return { success: false };
  }
}
