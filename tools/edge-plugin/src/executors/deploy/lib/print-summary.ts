import { formatBytes } from '../../../lib/format-bytes';
import { logger } from '@edgeship/edge-common';
import { htmlPathOf } from '../../../lib/report-html/write-html-report';
import type { NormalizedDeployOptions } from './ansible-args';
import type { NodeOutcome } from './deploy-report';
import { displayPath } from './display-path';

export interface DeployReport {
  service: string;
  version: string;
  /** Every service of the Ansible run this one went out in (one rollout for many services). */
  rollout: string[];
  success: boolean;
  exitCode: number;
  seconds: number;
  nodes: NodeOutcome[];
}

/** One table for every service of a rollout, why each failed node failed, one verdict line per service. */
export function printSummary(options: NormalizedDeployOptions, reports: readonly DeployReport[]): void {
  logger.table(
    reports.flatMap((report) =>
      report.nodes.map((node) => ({
        service: report.service,
        node: node.node,
        arch: node.arch,
        delivery: node.delivery,
        version: node.version,
        health: node.health,
        action: node.action,
        transfer: describeTransfer(node),
        changed: node.changed,
        seconds: node.seconds.toFixed(1),
      })),
    ),
  );
  for (const report of reports) {
    for (const node of report.nodes.filter((n) => n.error)) {
      logger.warn(`${report.service} on ${node.node}: ${node.error}`);
      // The cause (EADDRINUSE, a stack trace, a missing variable) is in the node's journal: show it here.
      for (const line of node.journal ?? []) logger.info(`  ${node.node} journal │ ${line}`);
    }
  }
  for (const report of reports) {
    const healthy = report.nodes.filter((n) => n.health === 'healthy').length;
    const line = `${report.service} ${report.version}: ${healthy}/${report.nodes.length} nodes healthy in ${report.seconds.toFixed(1)} s`;
    if (report.success) logger.done(line);
    else logger.warn(line);
  }
  if (reports.length === 1) {
    const report = displayPath(options.workspaceRoot, options.reportFile);
    logger.info(`report: ${report} (page: ${htmlPathOf(report)})`);
  }
  if (options.json) logger.info(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
}

/** "rsync delta … (71 KiB)", "whole file (no rsync on the node) (98.5 MiB)", "none". */
function describeTransfer(node: NodeOutcome): string {
  if (!node.transfer || node.transfer === 'none') return node.action === 'already deployed' ? 'none' : '';
  const method = node.transfer.replace(/ against \S+/, '');
  return node.transferBytes > 0 ? `${method} (${formatBytes(node.transferBytes)})` : method;
}
