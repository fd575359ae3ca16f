import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@edgeship/edge-common';
import { followLogs } from './lib/follow-logs';
import { normalizeLogsOptions } from './lib/normalize-logs-options';
import { printLogs, readLogs } from './lib/read-logs';
import type { LogsExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

/**
 * The service's journal from each targeted node, every line prefixed with its node: the last --lines in one
 * Ansible run, or --follow until interrupted (Ctrl-C). Fails when a node gave no lines (unreachable, no journal).
 */
export default async function logsExecutor(
  options: LogsExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return runExecutor(async () => {
    const normalized = normalizeLogsOptions(options, context);
    if (!normalized.follow) {
      const logs = await readLogs(normalized);
      printLogs(logs);
      return { success: logs.length > 0 && logs.every((entry) => !entry.error) };
    }
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    const width = 24;
    const ended = await followLogs(
      normalized,
      (node, line) => logger.info(`${node.padEnd(width)} │ ${line}`),
      stop.signal,
    );
    for (const { node, error } of ended.filter((e) => e.error)) logger.warn(`${node}: ${error}`);
    return { success: ended.every((entry) => !entry.error) };
  });
}
