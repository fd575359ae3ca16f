import { parseArgs } from 'node:util';
import { ConfigError } from '@edgeship/edge-common';
import type { RollbackExecutorOptions } from '@edgeship/edge-plugin/executors/rollback/schema';

export interface RollbackCommandOptions extends RollbackExecutorOptions {
  help: boolean;
  projects?: string;
}

export const ROLLBACK_HELP = `npm run rollback [-- options]: back to the previous release on the nodes, for every service

  Reads the nodes first (playbooks/status.yml) and decides each node's target: the release it ran before its
  current one, or --to. A node with nothing to go back to, or without the --to release, refuses the whole
  rollback before anything changes, naming what it keeps. Then one Ansible run (playbooks/rollback.yml): one
  canary node, then the rest, each health-gated; a kept release that fails its gate is rolled forward again.
  Exit code 1 when anything was refused, unreachable or not healthy.

Options:
  --to RELEASE       a kept release by version (1.2.0) or release id (1.2.0-3f9a0c2b1d4e); \`npm run status\` lists them
  --inventory PATH   an Ansible inventory (a real fleet) instead of the local fleet's
  --fleet NAME       local fleet name (default "default")
  --projects A,B     only these services (default: every service)
  --limit PATTERN    only these nodes (Ansible --limit)
  --serial LIST      batches, canary first (default 1,100%)
  --health-timeout S seconds the kept release gets to answer /healthz and /version (default 60)
  --allow-unsigned   switch back to a release deployed unsigned (the local fleet only; CI and every
                     other inventory require its signed build record to verify against the trust anchor)
  --json             print JSON instead of the table
  --verbose          show Ansible's output
  -h, --help         this text`;

export function parseRollbackArgs(argv: readonly string[]): RollbackCommandOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        to: { type: 'string' },
        inventory: { type: 'string' },
        fleet: { type: 'string', default: 'default' },
        projects: { type: 'string' },
        limit: { type: 'string' },
        serial: { type: 'string' },
        'health-timeout': { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        'allow-unsigned': { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError(
      'npm run rollback',
      'arguments',
      argv.join(' '),
      `${(error as Error).message}. See npm run rollback -- --help.`,
    );
  }
  const timeout = values['health-timeout'];
  if (timeout !== undefined && !/^[1-9]\d*$/.test(timeout)) {
    throw new ConfigError('npm run rollback', '--health-timeout', timeout, 'Give whole seconds, 1 or more.');
  }
  return {
    help: values.help!,
    ...(values.to === undefined ? {} : { to: values.to }),
    inventory: values.inventory,
    fleet: values.fleet,
    projects: values.projects,
    limit: values.limit,
    ...(values.serial === undefined ? {} : { serial: values.serial }),
    ...(timeout === undefined ? {} : { healthTimeout: Number(timeout) }),
    json: values.json,
    verbose: values.verbose,
    ...(values['allow-unsigned'] ? { allowUnsigned: true } : {}),
  };
}
