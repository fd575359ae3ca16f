import { parseArgs } from 'node:util';
import { ConfigError } from '@edgeship/edge-common';

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

export const START_HELP = `npm start [-- options]: the one-command edge deployment

  1. brings up the local simulated edge fleet if it is absent (unless --inventory is given)
  2. builds what a deploy needs through Nx (lock, bundle, image; cache hits cost nothing)
  3. deploys every service (or --projects) with Ansible: canary first, health-gated, rolled back on failure
  4. prints a summary table and writes dist/deploy-report.json

Options:
  --inventory PATH   deploy to this Ansible inventory (a real fleet) instead of the local one
  --fleet NAME       local fleet name (default "default")
  --nodes N          nodes of a new local fleet (default 2)
  --arch A           arm64 (default: genuine aarch64 under QEMU) or amd64, for a new local fleet
  --projects A,B     only these services (default: every service)
  --json             print the JSON report after the table
  --allow-unsigned   deploy builds that were not released (signed) even in CI; the local fleet only.
                     Outside CI the local fleet takes unsigned builds anyway; every other inventory
                     requires a signed build record (nx run <svc>:release)
  -h, --help         this text`;

export function parseStartArgs(argv: readonly string[]): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        inventory: { type: 'string' },
        fleet: { type: 'string', default: 'default' },
        nodes: { type: 'string', default: '2' },
        arch: { type: 'string', default: 'arm64' },
        projects: { type: 'string' },
        json: { type: 'boolean', default: false },
        'allow-unsigned': { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError(
      'npm start',
      'arguments',
      argv.join(' '),
      `${(error as Error).message}. See npm start -- --help.`,
    );
  }
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1) {
    throw new ConfigError('npm start', '--nodes', values.nodes, 'Use a whole number of nodes, 1 or more.');
  }
  if (values.arch !== 'arm64' && values.arch !== 'amd64') {
    throw new ConfigError('npm start', '--arch', values.arch, 'Use arm64 or amd64.');
  }
  return {
    help: values.help!,
    inventory: values.inventory,
    fleet: values.fleet!,
    nodes,
    arch: values.arch,
    projects: values.projects,
    json: values.json!,
    allowUnsigned: values['allow-unsigned']!,
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
