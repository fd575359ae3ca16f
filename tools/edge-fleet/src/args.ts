import { parseArgs } from 'node:util';
import { ConfigError } from '@edgeship/edge-common';
import {
  DEFAULT_FLEET_NAME,
  DEFAULT_NODE_COUNT,
  FLEET_ARCHES,
  describeNodeLimits,
  validateArch,
  validateFleetName,
  validateNodeCount,
  type FleetArch,
} from './names';
import { validatePortBase } from './ports';

export type FleetCommand =
  | { command: 'help' }
  | { command: 'up'; name: string; nodes: number; arch: FleetArch; portBase?: number }
  | { command: 'down'; name: string }
  | { command: 'status'; name: string; json: boolean }
  | { command: 'ssh'; name: string; node: string; remote: string[] };

export const HELP_TEXT = `edge-fleet: a local fleet of real systemd edge nodes in docker containers

Usage:
  edge-fleet up     [--nodes N] [--arch arm64|amd64] [--name F] [--port-base P]
  edge-fleet down   [--name F]
  edge-fleet status [--name F] [--json]
  edge-fleet ssh    <node> [--name F] [-- command ...]
  edge-fleet --help

Commands:
  up      Build the node image if its package list changed (cached under /var/cache/edgeship/rootfs),
          start N nodes with systemd as PID 1, wait until \`systemctl is-system-running\` is "running"
          and sshd answers, then write and print the Ansible inventory
          <workspace>/.edgeship/fleet/<F>/inventory.yml. Running it again changes nothing
          (stopped nodes are started). A fleet keeps the arch and node count it was created with.
  down    Remove the fleet's containers, its network and .edgeship/fleet/<F>/ (keys, inventory).
          Node images stay cached; nothing of other fleets is touched.
  status  One line per node: container state, systemd state, ssh port. --json for machines.
  ssh     Open a root shell on a node (a number, or its container name), or run a command on it.

Options:
  --nodes N       number of nodes, ${describeNodeLimits()} (default ${DEFAULT_NODE_COUNT})
  --arch A        ${FLEET_ARCHES.join(' or ')} (default arm64: genuine aarch64 through QEMU emulation, slow;
                  amd64 nodes run at native speed and carry podman for container delivery)
  --name F        fleet name (default "${DEFAULT_FLEET_NAME}"); objects are named edgeship-<F>-<n>
  --port-base P   first host port of a new fleet (default: a block in 10240..32767 derived from the
                  fleet name, or the next free block if another fleet holds it). Node n gets ssh on
                  P+32(n-1) and container ports 8100..8119 on the 20 ports after it, all on 127.0.0.1
  --json          status as JSON
  -h, --help      this text

Needs a docker engine with buildx, debootstrap, QEMU binfmt (for arm64) and ssh; to use the inventory,
ansible. tools/bootstrap/bootstrap.sh installs them. Keys and inventories live in .edgeship/fleet/ (gitignored).`;

/** Turns argv (without node and script) into one command; every mistake is a ConfigError naming the fix. */
export function parseFleetArgs(argv: readonly string[]): FleetCommand {
  const dashDash = argv.indexOf('--');
  const own = dashDash === -1 ? argv : argv.slice(0, dashDash);
  const remote = dashDash === -1 ? [] : argv.slice(dashDash + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...own],
      allowPositionals: true,
      strict: true,
      options: {
        nodes: { type: 'string' },
        arch: { type: 'string' },
        name: { type: 'string' },
        'port-base': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new ConfigError(
      'edge-fleet',
      'arguments',
      own.join(' '),
      `${(error as Error).message}. See edge-fleet --help.`,
    );
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') return { command: 'help' };

  const source = `edge-fleet ${command}`;
  const allowed: Record<string, string[]> = {
    up: ['nodes', 'arch', 'name', 'port-base'],
    down: ['name'],
    status: ['name', 'json'],
    ssh: ['name'],
  };
  const allowedHere = allowed[command];
  if (!allowedHere) {
    throw new ConfigError(
      'edge-fleet',
      'command',
      command,
      'Use one of: up, down, status, ssh (see --help).',
    );
  }
  for (const key of Object.keys(values)) {
    if (!allowedHere.includes(key)) {
      throw new ConfigError(
        source,
        `--${key}`,
        values[key as keyof typeof values],
        `${command} does not take --${key}; see --help.`,
      );
    }
  }
  if (command !== 'ssh' && (rest.length > 0 || remote.length > 0)) {
    throw new ConfigError(
      source,
      'arguments',
      [...rest, ...remote].join(' '),
      `${command} takes no positional arguments.`,
    );
  }
  const name = validateFleetName(values.name ?? DEFAULT_FLEET_NAME, source);

  switch (command) {
    case 'up': {
      const arch = validateArch(values.arch ?? 'arm64', source);
      const nodes = validateNodeCount(
        parseWholeNumber(values.nodes, DEFAULT_NODE_COUNT, '--nodes', source),
        arch,
        source,
      );
      const base = values['port-base'];
      const portBase =
        base === undefined
          ? undefined
          : validatePortBase(parseWholeNumber(base, NaN, '--port-base', source), source);
      return { command: 'up', name, nodes, arch, ...(portBase === undefined ? {} : { portBase }) };
    }
    case 'down':
      return { command: 'down', name };
    case 'status':
      return { command: 'status', name, json: values.json === true };
    default: {
      const [node, ...extra] = rest;
      if (node === undefined || extra.length > 0) {
        throw new ConfigError(
          source,
          '<node>',
          node,
          'Name exactly one node, e.g. `edge-fleet ssh 1` (a command goes after --).',
        );
      }
      return { command: 'ssh', name, node, remote };
    }
  }
}

/** `Number('')` is 0 and `Number('2.5')` is 2.5: only plain digits count as a whole number. */
function parseWholeNumber(
  text: string | undefined,
  fallback: number,
  option: string,
  source: string,
): number {
  if (text === undefined) return fallback;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  throw new ConfigError(source, option, text, `${option} takes a whole number; see --help.`);
}
