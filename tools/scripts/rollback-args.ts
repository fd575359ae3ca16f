import type { Command } from 'commander';
import { ConfigError } from '@edgeship/edge-common';
import { createProgram, formatHelp, parseProgram } from '@edgeship/edge-common/cli';
import type { RollbackExecutorOptions } from '@edgeship/edge-plugin/executors/rollback/schema';

export interface RollbackCommandOptions extends RollbackExecutorOptions {
  help: boolean;
  /** One inventory on the command line (the executor also takes a list). */
  inventory?: string;
  projects?: string;
}

// --serial and --health-timeout name their defaults without setting them: the rollback executor (serial) and the
// role (health timeout) own them, and only what the user set is passed on.
function createRollbackProgram(): Command {
  return createProgram(
    'npm run rollback',
    '[-- options]',
    'Back to the previous release on the nodes, for every service.\n' +
      "Reads the nodes first (playbooks/status.yml) and decides each node's target: the release it ran " +
      'before its current one, or --to. A node with nothing to go back to, or without the --to release, ' +
      'refuses the whole rollback before anything changes, naming what it keeps. Then one Ansible run ' +
      '(playbooks/rollback.yml): one canary node, then the rest, each health-gated; a kept release that ' +
      'fails its gate is rolled forward again. Exit code 1 when anything was refused, unreachable or not ' +
      'healthy.',
  )
    .option(
      '--to <RELEASE>',
      'a kept release by version (1.2.0) or release id (1.2.0-3f9a0c2b1d4e); `npm run status` lists them ' +
        '(default: the release each node ran before its current one)',
    )
    .option('--inventory <PATH>', "an Ansible inventory (a real fleet) instead of the local fleet's")
    .option('--fleet <NAME>', 'local fleet name', 'default')
    .option('--projects <A,B>', 'only these services (default: every service)')
    .option('--limit <PATTERN>', 'only these nodes, as Ansible --limit (default: no limit)')
    .option('--serial <LIST>', 'batches, canary first (default: 1,100%)')
    .option(
      '--health-timeout <S>',
      "seconds the kept release gets to answer /healthz and /version (default: the role's, 60)",
    )
    .option(
      '--allow-unsigned',
      'switch back to a release deployed unsigned (the local fleet only; CI and every other inventory ' +
        'require its signed build record to verify against the trust anchor)',
    )
    .option('--json', 'print JSON instead of the table')
    .option('--verbose', "show Ansible's output");
}

export const ROLLBACK_HELP = formatHelp(createRollbackProgram());

export function parseRollbackArgs(argv: readonly string[]): RollbackCommandOptions {
  const { help, values } = parseProgram<
    Omit<RollbackCommandOptions, 'help' | 'healthTimeout'> & { healthTimeout?: string }
  >(createRollbackProgram(), argv, 'npm run rollback', 'See npm run rollback -- --help.');
  const timeout = values.healthTimeout;
  if (timeout !== undefined && !/^[1-9]\d*$/.test(timeout)) {
    throw new ConfigError('npm run rollback', '--health-timeout', timeout, 'Give whole seconds, 1 or more.');
  }
  return {
    help,
    ...(values.to === undefined ? {} : { to: values.to }),
    inventory: values.inventory,
    fleet: values.fleet,
    projects: values.projects,
    limit: values.limit,
    ...(values.serial === undefined ? {} : { serial: values.serial }),
    ...(timeout === undefined ? {} : { healthTimeout: Number(timeout) }),
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    ...(values.allowUnsigned ? { allowUnsigned: true } : {}),
  };
}
