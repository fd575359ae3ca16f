import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ToolError } from '../../../lib/errors';
import { logger } from '../../../lib/logger';
import { runCommand } from '../../../lib/run-command';
import { ansibleArgs, ansibleEnv, type NormalizedDeployOptions, type ServiceDeploy } from './ansible-args';
import { resolveDeployArtifacts } from './deploy-artifacts';
import { isDeploySuccessful, summarizeReport, type AnsibleReport } from './deploy-report';
import { readInventoryHosts } from './inventory';
import { listLimitedHosts } from './limited-hosts';
import { printSummary, type DeployReport } from './print-summary';

/**
 * Deploys services that share an inventory and rollout options in ONE ansible-playbook run: the nodes are
 * probed once, each service keeps its own canary and failure threshold (deploy.yml), and each service gets
 * its own summary and JSON report. Artifacts of every service are resolved and verified before Ansible starts.
 */
export async function runRollout(rollout: readonly NormalizedDeployOptions[]): Promise<DeployReport[]> {
  const options = rollout[0]!;
  const { hosts } = options;
  const inGroup = options.inventories.flatMap(
    (file) => readInventoryHosts(file, hosts, options.workspaceRoot) ?? [],
  );
  const targeted = options.limit ? await listLimitedHosts(options, options.limit) : inGroup;
  const services: ServiceDeploy[] = [];
  for (const service of rollout)
    services.push({ options: service, artifacts: await resolveDeployArtifacts(service) });
  const names = rollout.map(({ service }) => `${service.name} ${service.version} (${service.delivery})`);
  logger.step(`deploy ${names.join(', ')} to ${hosts}, serial ${options.serial.join(',')}`);
  const started = Date.now();
  const env = ansibleEnv(options, Boolean(process.stdout.isTTY));
  const rawReportFile = env.EDGESHIP_DEPLOY_REPORT!;
  await rm(rawReportFile, { force: true });
  const args = ansibleArgs(services);
  const run = await runCommand('ansible-playbook', args, {
    cwd: options.playbookDir,
    env: { ...process.env, ...env },
    stream: true,
    check: false,
  });
  const raw = await readFile(rawReportFile, 'utf8').catch(() => undefined);
  // No report: Ansible stopped before the play ran (a bad inventory, a syntax error); its own words say why.
  if (!raw)
    throw new ToolError(
      'ansible-playbook stopped before deploying',
      `ansible-playbook ${args[0]}`,
      run.exitCode,
      run.stderr || run.stdout,
    );
  await rm(rawReportFile, { force: true });
  const ansibleReport = JSON.parse(raw) as AnsibleReport;
  const seconds = (Date.now() - started) / 1000;
  const reports: DeployReport[] = [];
  for (const { service, reportFile } of rollout) {
    const nodes = summarizeReport(ansibleReport, service.name, targeted);
    // Ansible's exit code covers every service of the run: with several, each is judged by its own nodes.
    const report: DeployReport = {
      service: service.name,
      version: service.version,
      rollout: rollout.map((each) => each.service.name),
      success: isDeploySuccessful(nodes, rollout.length > 1 ? 0 : run.exitCode),
      exitCode: run.exitCode,
      seconds,
      nodes,
    };
    await mkdir(dirname(reportFile), { recursive: true });
    await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    reports.push(report);
  }
  printSummary(options, reports);
  return reports;
}
