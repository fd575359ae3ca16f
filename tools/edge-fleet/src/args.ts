import { CommanderError, type Command } from 'commander';
import { ConfigError } from '@edgeship/edge-common';
import { describeUsageError, formatHelp, isHelpRequest } from '@edgeship/edge-common/cli';
import { createFleetProgram, type FleetCommandLine } from './fleet-program';
import { validateArch, validateFleetName, validateNodeCount, type FleetArch } from './names';
import { validatePortBase } from './ports';

export type FleetCommand =
  | { command: 'help' }
  | { command: 'up'; name: string; nodes: number; arch: FleetArch; portBase?: number }
  | { command: 'down'; name: string }
  | { command: 'status'; name: string; json: boolean }
  | { command: 'ssh'; name: string; node: string; remote: string[] };

/** The whole CLI on one page: the commands, then each command with its options and their defaults. */
export const HELP_TEXT = (() => {
  const program = createFleetProgram(() => undefined);
  return [program, ...program.commands].map(formatHelp).join('\n\n');
})();

/** Turns argv (without node and script) into one command; every mistake is a ConfigError naming the fix. */
export function parseFleetArgs(argv: readonly string[]): FleetCommand {
  // What follows `--` is the remote command of `ssh`, never edge-fleet's own options.
  const dashDash = argv.indexOf('--');
  const own = dashDash === -1 ? argv : argv.slice(0, dashDash);
  const remote = dashDash === -1 ? [] : argv.slice(dashDash + 1);
  let line: FleetCommandLine | undefined;
  const program = createFleetProgram((found) => (line = found));
  try {
    program.parse([...own], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (isHelpRequest(error)) return { command: 'help' };
    throw describeFleetError(error, program, own);
  }
  if (line === undefined) return { command: 'help' };

  const { command, values } = line;
  const source = `edge-fleet ${command}`;
  if (command !== 'ssh' && remote.length > 0) throw takesNoArguments(command, remote);
  const name = validateFleetName(values.name, source);
  switch (command) {
    case 'up': {
      const arch = validateArch(String(values.arch), source);
      const nodes = validateNodeCount(
        parseWholeNumber(String(values.nodes), '--nodes', source),
        arch,
        source,
      );
      const portBase =
        values.portBase === undefined
          ? undefined
          : validatePortBase(parseWholeNumber(values.portBase, '--port-base', source), source);
      return { command: 'up', name, nodes, arch, ...(portBase === undefined ? {} : { portBase }) };
    }
    case 'down':
      return { command: 'down', name };
    case 'status':
      return { command: 'status', name, json: values.json === true };
    case 'ssh':
      return { command: 'ssh', name, node: line.node!, remote };
  }
}

/** Commander's mistakes in edge-fleet's words: which command, and what it takes instead. */
function describeFleetError(error: CommanderError, program: Command, own: readonly string[]): ConfigError {
  // program.args starts with the command commander dispatched to, if it got that far.
  const active = program.commands.find((command) => command.name() === program.args[0]);
  const name = active?.name();
  const source = name ? `edge-fleet ${name}` : 'edge-fleet';
  const flag = /'(--[^'= ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'commander.unknownCommand': {
      const names = program.commands.map((command) => command.name()).join(', ');
      return new ConfigError(source, 'command', program.args[0], `Use one of: ${names} (see --help).`);
    }
    case 'commander.unknownOption': {
      const isFleetOption = program.commands.some((command) => command.options.some((o) => o.long === flag));
      if (!isFleetOption) break;
      const fix = name
        ? `${name} does not take ${flag}; see --help.`
        : 'Options follow the command: edge-fleet <command> [options]; see --help.';
      return new ConfigError(source, 'arguments', own.join(' '), fix);
    }
    case 'commander.missingArgument':
    case 'commander.excessArguments':
      if (name === 'ssh') {
        const fix = 'Name exactly one node, e.g. `edge-fleet ssh 1` (a command goes after --).';
        return new ConfigError(source, '<node>', active?.args[0], fix);
      }
      if (active) return takesNoArguments(active.name(), active.args);
  }
  const words = `${describeUsageError(error)}. See edge-fleet --help.`;
  return new ConfigError(source, 'arguments', own.join(' '), words);
}

function takesNoArguments(command: string, args: readonly string[]): ConfigError {
  return new ConfigError(
    `edge-fleet ${command}`,
    'arguments',
    args.join(' '),
    `${command} takes no positional arguments.`,
  );
}

/** `Number('')` is 0 and `Number('2.5')` is 2.5: only plain digits count as a whole number. */
function parseWholeNumber(text: string, option: string, source: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  throw new ConfigError(source, option, text, `${option} takes a whole number; see --help.`);
}
