import type { ExecutorContext } from '@nx/devkit';
import { resolve } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';
import { normalizeOptions } from '../../deploy/lib/normalize-options';
import type { StatusExecutorOptions } from '../schema';

export interface NormalizedStatusOptions {
  workspaceRoot: string;
  /** playbooks/ of the workspace: ansible.cfg and status.yml live there. */
  playbookDir: string;
  /** What the probe needs of a service: its name (unit, install dir) and port (health). */
  service: { name: string; port: number };
  inventories: string[];
  hosts: string;
  limit?: string;
  history: number;
  json: boolean;
  /** Absolute path of the HTML page to write, if asked for. */
  html?: string;
  /** Absolute path of a pull channel whose reports stand in for the nodes SSH cannot reach. */
  pullReports?: string;
  verbose: boolean;
}

/**
 * The deploy's own option handling (the service's marker, the inventory or the local fleet's, paths made
 * absolute) and what only status has. A project that is not a service is refused there, naming its marker.
 */
export function normalizeStatusOptions(
  options: StatusExecutorOptions,
  context: ExecutorContext,
): NormalizedStatusOptions {
  const { inventory, fleet, hosts, limit, verbose } = options;
  const deploy = normalizeOptions({ inventory, fleet, hosts, limit, verbose }, context);
  const history = options.history ?? 0;
  if (!Number.isInteger(history) || history < 0 || history > 100) {
    throw new ConfigError(
      `status of ${deploy.service.name}`,
      '--history',
      history,
      'Give a whole number of records per node, 0 to 100.',
    );
  }
  return {
    workspaceRoot: deploy.workspaceRoot,
    playbookDir: deploy.playbookDir,
    service: { name: deploy.service.name, port: deploy.service.port },
    inventories: deploy.inventories,
    hosts: deploy.hosts,
    limit: deploy.limit,
    history,
    json: options.json ?? false,
    ...(options.html ? { html: resolve(deploy.workspaceRoot, options.html) } : {}),
    ...(options.pullReports ? { pullReports: resolve(deploy.workspaceRoot, options.pullReports) } : {}),
    verbose: deploy.verbose,
  };
}

/** What services must share to be read in one Ansible run: everything but the service itself. */
export function statusKey(options: NormalizedStatusOptions): string {
  const { inventories, hosts, limit, history, verbose, playbookDir, html, pullReports } = options;
  return JSON.stringify({ inventories, hosts, limit, history, verbose, playbookDir, html, pullReports });
}
