import { logger } from '../../../lib/logger';
import type { NormalizedDeployOptions } from './ansible-args';
import type { NodeOutcome } from './deploy-report';
import { displayPath } from './display-path';

export interface DeployReport {
  service: string;
  version: string;
  success: boolean;
  exitCode: number;
  seconds: number;
  nodes: NodeOutcome[];
}

/** The summary table (service, node, arch, version, health, duration), why each failed node failed, one verdict line. */
export function printSummary(options: NormalizedDeployOptions, report: DeployReport): void {
  logger.table(
    report.nodes.map((node) => ({
      service: report.service,
      node: node.node,
      arch: node.arch,
      delivery: node.delivery,
      version: node.version,
      health: node.health,
      changed: node.changed,
      seconds: node.seconds.toFixed(1),
    })),
  );
  for (const node of report.nodes.filter((n) => n.error)) logger.warn(`${node.node}: ${node.error}`);
  const healthy = report.nodes.filter((n) => n.health === 'healthy').length;
  const line = `${report.service} ${report.version}: ${healthy}/${report.nodes.length} nodes healthy in ${report.seconds.toFixed(1)} s (report: ${displayPath(options.workspaceRoot, options.reportFile)})`;
  if (report.success) logger.done(line);
  else logger.warn(line);
  if (options.json) console.log(JSON.stringify(report, null, 2));
}
