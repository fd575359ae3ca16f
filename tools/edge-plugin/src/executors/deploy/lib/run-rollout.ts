import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { logger } from '@edgeship/edge-common';
import { renderDeployHtml } from '../../../lib/report-html/render-deploy-html';
import { htmlPathOf, writeHtmlReport } from '../../../lib/report-html/write-html-report';
import { ansibleArgs, type NormalizedDeployOptions, type ServiceDeploy } from './ansible-args';
import { resolveDeployArtifacts } from './deploy-artifacts';
import { isDeploySuccessful, summarizeReport } from './deploy-report';
import { readInventoryHosts } from './inventory';
import { listLimitedHosts } from './limited-hosts';
import { printSummary, type DeployReport } from './print-summary';
import { runPlaybook } from './run-playbook';

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
  for (const service of rollout) services.push(await resolveDeployArtifacts(service));
  const names = services.map(
    ({ options: { service } }) => `${service.name} ${service.version} (${service.delivery})`,
  );
  logger.step(`deploy ${names.join(', ')} to ${hosts}, serial ${options.serial.join(',')}`);
  const started = Date.now();
  const { report: ansibleReport, exitCode } = await runPlaybook({
    playbookDir: options.playbookDir,
    args: ansibleArgs(services),
    reportFile: options.reportFile,
    stream: true,
  });
  const seconds = (Date.now() - started) / 1000;
  const reports: DeployReport[] = [];
  for (const { service, reportFile } of services.map((each) => each.options)) {
    const nodes = summarizeReport(ansibleReport, service.name, targeted);
    // Ansible's exit code covers every service of the run: with several, each is judged by its own nodes.
    const report: DeployReport = {
      service: service.name,
      version: service.version,
      rollout: services.map((each) => each.options.service.name),
      success: isDeploySuccessful(nodes, rollout.length > 1 ? 0 : exitCode),
      exitCode,
      seconds,
      nodes,
    };
    await mkdir(dirname(reportFile), { recursive: true });
    await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    await writeHtmlReport(
      htmlPathOf(reportFile),
      renderDeployHtml([report], { inventory: options.inventories.join(', ') }),
    );
    reports.push(report);
  }
  printSummary(options, reports);
  return reports;
}
