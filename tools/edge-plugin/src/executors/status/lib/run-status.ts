import { readPullReports } from '../../../lib/pull-channel/read-pull-reports';
import { readNodes } from './read-nodes';
import type { NormalizedStatusOptions } from './normalize-status-options';
import { isStatusHealthy, summarizeStatus, type StatusRow } from './status-rows';

export interface StatusReport {
  success: boolean;
  seconds: number;
  rows: StatusRow[];
}

/**
 * Reads every service that shares an inventory and options in ONE ansible-playbook run of status.yml: one
 * module run per node, whatever the number of services. Nothing on a node changes.
 */
export async function runStatus(services: readonly NormalizedStatusOptions[]): Promise<StatusReport> {
  const options = services[0]!;
  const started = Date.now();
  // Read first: a broken report is named before any node is asked.
  const pullReports = options.pullReports ? readPullReports(options.pullReports) : undefined;
  const report = await readNodes({
    ...options,
    playbook: 'status.yml',
    extraVars: {
      edge_status_hosts: options.hosts,
      edge_status_services: services.map(({ service }) => ({ name: service.name, port: service.port })),
      // One record at least: the "last deploy" column is the newest.
      edge_status_history: Math.max(options.history, 1),
    },
  });
  const rows = summarizeStatus(
    report,
    services.map(({ service }) => service.name),
    pullReports,
  );
  return { success: isStatusHealthy(rows), seconds: (Date.now() - started) / 1000, rows };
}
