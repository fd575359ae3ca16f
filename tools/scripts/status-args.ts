import { Option, type Command } from 'commander';
import { ConfigError } from '@edgeship/edge-common';
import { createProgram, formatHelp, parseProgram } from '@edgeship/edge-common/cli';
import type { StatusExecutorOptions } from '@edgeship/edge-plugin/executors/status/schema';

export interface StatusCommandOptions extends StatusExecutorOptions {
  help: boolean;
  /** One inventory on the command line (the executor also takes a list). */
  inventory?: string;
  projects?: string;
}

function createStatusProgram(): Command {
  return createProgram(
    'npm run status',
    '[-- options]',
    'What runs where, for every service, read-only.\n' +
      'One Ansible run (playbooks/status.yml), one probe per node for all services. Per service and node: ' +
      'arch, delivery, current release, unit state, health (/healthz, /version), since, releases kept, ' +
      'last deploy. Exit code 1 when a node is unreachable or a unit is failed or unhealthy.',
  )
    .option('--inventory <PATH>', "an Ansible inventory (a real fleet) instead of the local fleet's")
    .option('--fleet <NAME>', 'local fleet name', 'default')
    .option('--projects <A,B>', 'only these services (default: every service)')
    .option('--limit <PATTERN>', 'only these nodes, as Ansible --limit (default: no limit)')
    .addOption(
      new Option('--history <N>', 'also the last N deploy/rollback records per node and service').default(0),
    )
    .option('--json', 'print JSON instead of the table')
    .option('--html <FILE>', 'also write the status as a self-contained HTML page')
    .option(
      '--pull-reports <DIR>',
      "a pull channel's directory: nodes SSH cannot reach are shown as their last report there says",
    )
    .option('--verbose', "show Ansible's output");
}

export const STATUS_HELP = formatHelp(createStatusProgram());

export function parseStatusArgs(argv: readonly string[]): StatusCommandOptions {
  const { help, values } = parseProgram<
    Omit<StatusCommandOptions, 'help' | 'history'> & { history: number | string }
  >(createStatusProgram(), argv, 'npm run status', 'See npm run status -- --help.');
  if (!/^\d+$/.test(String(values.history))) {
    throw new ConfigError(
      'npm run status',
      '--history',
      values.history,
      'Give a whole number of records, 0 to 100.',
    );
  }
  return {
    help,
    inventory: values.inventory,
    fleet: values.fleet,
    projects: values.projects,
    limit: values.limit,
    history: Number(values.history),
    json: values.json ?? false,
    html: values.html,
    pullReports: values.pullReports,
    verbose: values.verbose ?? false,
  };
}
