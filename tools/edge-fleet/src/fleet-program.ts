import { Command, Option } from 'commander';
import { createProgram } from '@edgeship/edge-common/cli';
import { DEFAULT_FLEET_NAME, DEFAULT_NODE_COUNT, FLEET_ARCHES, describeNodeLimits } from './names';

/** What commander read: the command, its options (defaults filled in), and the node `ssh` was given. */
export interface FleetCommandLine {
  command: 'up' | 'down' | 'status' | 'ssh';
  values: { name: string; nodes?: number | string; arch?: string; portBase?: string; json?: boolean };
  node?: string;
}

/** edge-fleet's syntax and help; each command's action hands what it read to `found`, unchecked. */
export function createFleetProgram(found: (line: FleetCommandLine) => void): Command {
  const program = createProgram(
    'edge-fleet',
    '<command> [options]',
    'A local fleet of real systemd edge nodes in docker containers.\n' +
      'Needs a docker engine with buildx, mmdebstrap, QEMU binfmt (for arm64) and ssh; to use the ' +
      'inventory, ansible. tools/bootstrap/bootstrap.sh installs them. Keys and inventories live in ' +
      '.edgeship/fleet/ (gitignored).',
  ).helpCommand('help [command]', 'this text');
  const nameOption = () =>
    new Option('--name <F>', 'fleet name; its objects are named edgeship-<F>-<n>').default(
      DEFAULT_FLEET_NAME,
    );

  addCommand(program, 'up', 'Start a fleet, or start its stopped nodes; print its Ansible inventory')
    .description(
      'Build the node image if its package list changed (cached under /var/cache/edgeship/rootfs), start ' +
        'N nodes with systemd as PID 1, wait until `systemctl is-system-running` is "running" and sshd ' +
        'answers, then write and print the Ansible inventory <workspace>/.edgeship/fleet/<F>/inventory.yml. ' +
        'Running it again changes nothing (stopped nodes are started). A fleet keeps the arch and node ' +
        'count it was created with.',
    )
    .addOption(
      new Option('--nodes <N>', `number of nodes, ${describeNodeLimits()}`).default(DEFAULT_NODE_COUNT),
    )
    .addOption(
      new Option(
        `--arch <${FLEET_ARCHES.join('|')}>`,
        'arm64 is genuine aarch64 through QEMU emulation, slow; amd64 nodes run at native speed and carry ' +
          'podman for container delivery',
      ).default('arm64'),
    )
    .addOption(nameOption())
    .option(
      '--port-base <P>',
      'first host port of a new fleet. Node n gets ssh on P+32(n-1) and container ports 8100..8119 on the ' +
        '20 ports after it, all on 127.0.0.1 (default: a block in 10240..32767 derived from the fleet name, ' +
        'or the next free block if another fleet holds it)',
    )
    .action((values: FleetCommandLine['values']) => found({ command: 'up', values }));

  addCommand(program, 'down', "Remove a fleet's containers, network, keys and inventory")
    .description(
      "Remove the fleet's containers, its network and .edgeship/fleet/<F>/ (keys, inventory). Node " +
        'images stay cached; nothing of other fleets is touched.',
    )
    .addOption(nameOption())
    .action((values: FleetCommandLine['values']) => found({ command: 'down', values }));

  addCommand(program, 'status', 'One line per node: container state, systemd state, ssh port')
    .addOption(nameOption())
    .option('--json', 'status as JSON, for machines')
    .action((values: FleetCommandLine['values']) => found({ command: 'status', values }));

  addCommand(program, 'ssh', 'Open a root shell on a node, or run a command on it')
    .description(
      'Open a root shell on a node (a number, or its container name), or run the command after -- on it.',
    )
    .argument('<node>')
    .addOption(nameOption())
    .action((node: string, values: FleetCommandLine['values']) => found({ command: 'ssh', values, node }));

  for (const command of program.commands) command.usage(describeUsage(command));
  return program;
}

function addCommand(program: Command, name: string, summary: string): Command {
  return program.command(name).summary(summary).description(summary);
}

/** The command's whole syntax for its usage line, e.g. `<node> [--name F] [-- command ...]`. */
function describeUsage(command: Command): string {
  const parts = [
    ...command.registeredArguments.map((argument) => `<${argument.name()}>`),
    ...command.options.map((option) => `[${option.flags.replace(/[<>]/g, '')}]`),
  ];
  return [...parts, ...(command.name() === 'ssh' ? ['[-- command ...]'] : [])].join(' ');
}
