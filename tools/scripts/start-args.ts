import { Option, type Command } from 'commander';
import { ConfigError } from '@edgeship/edge-common';
import { createProgram, formatHelp, parseProgram } from '@edgeship/edge-common/cli';

export interface StartOptions {
  help: boolean;
  inventory?: string;
  fleet: string;
  nodes: number;
  arch: 'arm64' | 'amd64';
  projects?: string;
  json: boolean;
  allowUnsigned: boolean;
}

function createStartProgram(): Command {
  return createProgram(
    'npm start',
    '[-- options]',
    `The one-command edge deployment:
  1. brings up the local simulated edge fleet if it is absent (unless --inventory is given)
  2. builds what a deploy needs through Nx (lock, bundle; image for a container service, unless the
     local fleet's nodes cannot run containers: arm64 ones ship executables only; cache hits cost nothing)
  3. deploys every service (or --projects) with Ansible: canary first, health-gated, rolled back on failure
  4. prints a summary table and writes dist/deploy-report.json`,
  )
    .option('--inventory <PATH>', 'deploy to this Ansible inventory (a real fleet) instead of the local one')
    .option('--fleet <NAME>', 'local fleet name', 'default')
    .addOption(new Option('--nodes <N>', 'nodes of a new local fleet').default(2))
    .option(
      '--arch <arm64|amd64>',
      'arch of a new local fleet: arm64 is genuine aarch64 under QEMU, amd64 runs at native speed',
      'arm64',
    )
    .option('--projects <A,B>', 'only these services (default: every service)')
    .option('--json', 'print the JSON report after the table')
    .option(
      '--allow-unsigned',
      'deploy builds that were not released (signed) even in CI; the local fleet only. Outside CI the local ' +
        'fleet takes unsigned builds anyway; every other inventory requires a signed build record ' +
        '(nx run <svc>:release)',
    );
}

export const START_HELP = formatHelp(createStartProgram());

export function parseStartArgs(argv: readonly string[]): StartOptions {
  // Flags are absent, not false, when not given.
  const { help, values } = parseProgram<
    Partial<Omit<StartOptions, 'nodes' | 'arch'>> & { fleet: string; nodes: number | string; arch: string }
  >(createStartProgram(), argv, 'npm start', 'See npm start -- --help.');
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1) {
    throw new ConfigError('npm start', '--nodes', values.nodes, 'Use a whole number of nodes, 1 or more.');
  }
  if (values.arch !== 'arm64' && values.arch !== 'amd64') {
    throw new ConfigError('npm start', '--arch', values.arch, 'Use arm64 or amd64.');
  }
  return {
    help,
    inventory: values.inventory,
    fleet: values.fleet,
    nodes,
    arch: values.arch,
    projects: values.projects,
    json: values.json ?? false,
    allowUnsigned: values.allowUnsigned ?? false,
  };
}

/** The services to deploy: --projects, checked against the workspace's before anything starts, or all. */
export function selectServices(
  requested: string | undefined,
  available: readonly string[],
  command = 'npm start',
): string[] {
  if (requested === undefined) return [...available];
  const services = requested
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = services.filter((name) => !available.includes(name));
  if (services.length === 0 || unknown.length > 0) {
    throw new ConfigError(
      command,
      '--projects',
      unknown.length > 0 ? unknown.join(',') : requested,
      `Name services of this workspace: ${available.join(', ')}.`,
    );
  }
  return services;
}
