import type { Command } from 'commander';
import { ConfigError } from '@edgeship/edge-common';
import { createProgram, formatHelp, isHelpRequest, describeUsageError } from '@edgeship/edge-common/cli';
import { CommanderError } from 'commander';

export type PullCommand =
  | { command: 'help'; text: string }
  | { command: 'publish'; channel: string; projects?: string }
  | { command: 'serve'; channel: string; listen: string }
  | {
      command: 'enroll';
      channel: string;
      inventory?: string;
      fleet: string;
      projects?: string;
      limit?: string;
      interval: string;
      verbose: boolean;
    };

function createPullProgram(found: (command: PullCommand) => void): Command {
  const program = createProgram(
    'npm run pull',
    '-- <command> [options]',
    'Pull mode, for edge nodes SSH cannot reach (behind NAT): each enrolled node fetches its desired release from a ' +
      'channel on a systemd timer, verifies its signature against the pinned release key before switching, switches ' +
      'health-gated (back on failure) and PUTs its report to the channel, which `npm run status -- --pull-reports ' +
      '<channel dir>` reads. A channel is a directory served over HTTP.',
  ).helpCommand('help [command]', 'this text');
  program
    .command('publish')
    .description(
      'Make the released builds (dist/<svc>: build.json, build.json.sig, executables) the desired release of every ' +
        'node that pulls them. Refuses a build whose signature does not verify against the trust anchor.',
    )
    .requiredOption('--channel <DIR>', "the channel's directory")
    .option('--projects <A,B>', 'only these services (default: every service)')
    .action((values: { channel: string; projects?: string }) => found({ command: 'publish', ...values }));
  program
    .command('serve')
    .description(
      'Serve a channel directory over HTTP (GET files, PUT /reports/<node>.json) until interrupted.',
    )
    .requiredOption('--channel <DIR>', "the channel's directory")
    .option('--listen <HOST:PORT>', 'address to listen on', '127.0.0.1:8480')
    .action((values: { channel: string; listen: string }) => found({ command: 'serve', ...values }));
  program
    .command('enroll')
    .description(
      'Install the pull agent, the release public key and edgeship-pull.timer on the nodes (playbooks/pull.yml), ' +
        'while SSH still reaches them. The services must have been deployed once by push (npm start).',
    )
    .requiredOption('--channel <URL>', 'the http(s) URL the nodes reach the channel at')
    .option('--inventory <PATH>', "an Ansible inventory instead of the local fleet's")
    .option('--fleet <NAME>', 'local fleet name', 'default')
    .option('--projects <A,B>', 'only these services (default: every service)')
    .option('--limit <PATTERN>', 'only these nodes, as Ansible --limit')
    .option('--interval <SPAN>', 'systemd time span between pulls', '5min')
    .option('--verbose', "show Ansible's output", false)
    .action((values: Omit<Extract<PullCommand, { command: 'enroll' }>, 'command'>) =>
      found({ command: 'enroll', ...values }),
    );
  for (const command of program.commands)
    command
      .helpOption('-h, --help', 'this text')
      .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
      .exitOverride();
  return program;
}

export const PULL_HELP = formatHelp(createPullProgram(() => undefined));

/** The help of the command argv names (`enroll --help`, `help enroll`), else the program's. */
function helpFor(argv: readonly string[]): string {
  const program = createPullProgram(() => undefined);
  const name = argv[0] === 'help' ? argv[1] : argv[0];
  const command = program.commands.find((each) => each.name() === name);
  return command ? formatHelp(command) : PULL_HELP;
}

export function parsePullArgs(argv: readonly string[]): PullCommand {
  let parsed: PullCommand = { command: 'help', text: PULL_HELP };
  try {
    createPullProgram((command) => (parsed = command)).parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (isHelpRequest(error)) return { command: 'help', text: helpFor(argv) };
    throw new ConfigError(
      'npm run pull',
      'arguments',
      argv.join(' '),
      `${describeUsageError(error)}. See npm run pull -- --help.`,
    );
  }
  return parsed;
}
