import { logger } from '@edgeship/edge-common';
import { readNodes } from '../../status/lib/read-nodes';
import { journalArgs, type NormalizedLogsOptions } from './normalize-logs-options';

export interface NodeLogs {
  node: string;
  lines: string[];
  /** Why the node gave no lines: unreachable (ssh's reason) or journalctl failed. */
  error?: string;
}

/** The last lines of the service's journal on every targeted node, in one Ansible run (playbooks/logs.yml). */
export async function readLogs(options: NormalizedLogsOptions): Promise<NodeLogs[]> {
  const report = await readNodes({
    ...options,
    playbook: 'logs.yml',
    extraVars: { edge_logs_hosts: options.hosts, edge_logs_argv: journalArgs({ ...options, follow: false }) },
  });
  return Object.entries(report.hosts)
    .map(([node, entry]) => {
      const lines = (entry.result as { edge_logs?: string[] } | null | undefined)?.edge_logs;
      if (lines && entry.recap.unreachable === 0) return { node, lines };
      const kind = entry.recap.unreachable > 0 ? 'unreachable' : 'failed';
      return { node, lines: [], error: `${kind}: ${entry.error?.msg ?? kind}` };
    })
    .sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }));
}

/** Each line prefixed with its node, node after node; the nodes that gave none, and why. */
export function printLogs(logs: readonly NodeLogs[]): void {
  const width = Math.max(0, ...logs.map((entry) => entry.node.length));
  for (const entry of logs) {
    for (const line of entry.lines) logger.info(`${entry.node.padEnd(width)} │ ${line}`);
  }
  for (const entry of logs.filter((e) => e.error)) logger.warn(`${entry.node}: ${entry.error}`);
}
