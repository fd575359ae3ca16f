import { parseArgs } from 'node:util';
import { ConfigError } from '@edgeship/edge-common';
import type { StatusExecutorOptions } from '@edgeship/edge-plugin/executors/status/schema';

export interface StatusCommandOptions extends StatusExecutorOptions {
  help: boolean;
  projects?: string;
}

export const STATUS_HELP = `npm run status [-- options]: what runs where, for every service, read-only

  One Ansible run (playbooks/status.yml), one probe per node for all services. Per service and node:
  arch, delivery, current release, unit state, health (/healthz, /version), since, releases kept, last deploy.
  Exit code 1 when a node is unreachable or a unit is failed or unhealthy.

Options:
  --inventory PATH   an Ansible inventory (a real fleet) instead of the local fleet's
  --fleet NAME       local fleet name (default "default")
  --projects A,B     only these services (default: every service)
  --limit PATTERN    only these nodes (Ansible --limit)
  --history N        also the last N deploy/rollback records per node and service
  --json             print JSON instead of the table
  --html FILE        also write the status as a self-contained HTML page
  -h, --help         this text`;

export function parseStatusArgs(argv: readonly string[]): StatusCommandOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        inventory: { type: 'string' },
        fleet: { type: 'string', default: 'default' },
        projects: { type: 'string' },
        limit: { type: 'string' },
        history: { type: 'string', default: '0' },
        json: { type: 'boolean', default: false },
        html: { type: 'string' },
        verbose: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError(
      'npm run status',
      'arguments',
      argv.join(' '),
      `${(error as Error).message}. See npm run status -- --help.`,
    );
  }
  if (!/^\d+$/.test(values.history!)) {
    throw new ConfigError(
      'npm run status',
      '--history',
      values.history,
      'Give a whole number of records, 0 to 100.',
    );
  }
  return {
    help: values.help!,
    inventory: values.inventory,
    fleet: values.fleet,
    projects: values.projects,
    limit: values.limit,
    history: Number(values.history),
    json: values.json,
    html: values.html,
    verbose: values.verbose,
  };
}
