import type { ExecutorContext } from '@nx/devkit';
import { ConfigError } from '@edgeship/edge-common';
import { normalizeOptions } from '../../deploy/lib/normalize-options';
import type { LogsExecutorOptions } from '../schema';

export interface NormalizedLogsOptions {
  workspaceRoot: string;
  playbookDir: string;
  service: string;
  inventories: string[];
  hosts: string;
  limit?: string;
  lines: number;
  since?: string;
  follow: boolean;
  verbose: boolean;
}

/**
 * journalctl's --since takes dates, times and words ("2026-12-02 23:00:00", "1 hour ago", "yesterday",
 * "-1h", "@1733180400"). Nothing else gets through: the value reaches journalctl as one argv element, and
 * when following, through the node's login shell too, so no shell metacharacter may appear in it.
 */
const SINCE = /^[A-Za-z0-9 :.+@-]{1,64}$/;

/** The deploy's option handling (marker, inventory or local fleet) and what only logs has, checked. */
export function normalizeLogsOptions(
  options: LogsExecutorOptions,
  context: ExecutorContext,
): NormalizedLogsOptions {
  const { inventory, fleet, hosts, limit, verbose } = options;
  const deploy = normalizeOptions({ inventory, fleet, hosts, limit, verbose }, context);
  const where = `logs of ${deploy.service.name}`;
  const lines = options.lines ?? 50;
  if (!Number.isInteger(lines) || lines < 1 || lines > 10_000) {
    throw new ConfigError(where, '--lines', lines, 'Give a whole number of lines, 1 to 10000.');
  }
  if (options.since !== undefined && !SINCE.test(options.since)) {
    throw new ConfigError(
      where,
      '--since',
      options.since,
      'Give a journalctl time such as "1 hour ago", "2026-12-02 23:00" or "today" (letters, digits, spaces and - : . + @ only).',
    );
  }
  return {
    workspaceRoot: deploy.workspaceRoot,
    playbookDir: deploy.playbookDir,
    service: deploy.service.name,
    inventories: deploy.inventories,
    hosts: deploy.hosts,
    limit: deploy.limit,
    lines,
    since: options.since,
    follow: options.follow ?? false,
    verbose: deploy.verbose,
  };
}

/** journalctl's arguments for one service, for logs.yml (the last lines) and the follow over ssh alike. */
export function journalArgs(
  options: Pick<NormalizedLogsOptions, 'service' | 'lines' | 'since' | 'follow'>,
): string[] {
  return [
    'journalctl',
    `--unit=edgeship-${options.service}.service`,
    `--lines=${options.lines}`,
    '--no-pager',
    '--output=short-iso',
    ...(options.since ? [`--since=${options.since}`] : []),
    ...(options.follow ? ['--follow'] : []),
  ];
}
