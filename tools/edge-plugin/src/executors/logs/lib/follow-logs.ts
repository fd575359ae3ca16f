import { ToolError, followLines, runCommand } from '@edgeship/edge-common';
import { listLimitedHosts } from '../../deploy/lib/limited-hosts';
import { journalArgs, type NormalizedLogsOptions } from './normalize-logs-options';
import { sshArgs, type HostConnection } from './ssh-args';

/**
 * journalctl --follow on every targeted node at once, over ssh with the inventory's own connection variables
 * (Ansible buffers a task's output, so it cannot stream). Each line goes to onLine with its node as it
 * arrives; returns when every node's stream ended (signal aborted, node gone), with each node's error.
 */
export async function followLogs(
  options: NormalizedLogsOptions,
  onLine: (node: string, line: string) => void,
  signal?: AbortSignal,
): Promise<{ node: string; error?: string }[]> {
  const hosts = await listLimitedHosts(options, options.limit ?? 'all');
  const connections = await readConnections(options);
  const command = journalArgs({ ...options, follow: true });
  return Promise.all(
    hosts.map(async (node) => {
      const args = sshArgs(node, connections[node] ?? {}, command);
      const result = await followLines('ssh', args, { onLine: (line) => onLine(node, line), signal });
      return result.exitCode === 0
        ? { node }
        : { node, error: result.stderr.trim() || `ssh exited ${result.exitCode}` };
    }),
  );
}

/** Every host's variables as Ansible resolves them from the inventories (group vars included). */
async function readConnections(options: NormalizedLogsOptions): Promise<Record<string, HostConnection>> {
  const args = [...options.inventories.flatMap((file) => ['--inventory', file]), '--list'];
  const listed = await runCommand('ansible-inventory', args, { cwd: options.playbookDir, check: false });
  if (listed.exitCode !== 0) {
    throw new ToolError(
      'ansible-inventory could not read the inventory',
      `ansible-inventory ${args.join(' ')}`,
      listed.exitCode,
      listed.stderr,
    );
  }
  const inventory = JSON.parse(listed.stdout) as { _meta?: { hostvars?: Record<string, HostConnection> } };
  return inventory._meta?.hostvars ?? {};
}
