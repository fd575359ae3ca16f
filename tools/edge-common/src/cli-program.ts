// The one way edgeship's command lines are parsed (npm start, status, rollback, edge-fleet, pipeline):
// commander, set up so that it never prints or exits by itself. The CLI prints help when asked; usage mistakes are ConfigErrors, which the one error boundary
// prints as "✖ <what>. <what to do>" with the exit code it gives every ConfigError.
import { Command, CommanderError, type OptionValues } from 'commander';
import { ConfigError } from './errors';

/** A program with edgeship's help layout: usage, what it does, then every option with its default. */
export function createProgram(name: string, usage: string, description: string): Command {
  return new Command(name)
    .usage(usage)
    .description(description)
    .helpOption('-h, --help', 'this text')
    .configureHelp({ helpWidth: 110 })
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .exitOverride();
}

/**
 * Parses argv (without node and script) into the program's option values (defaults filled in), and whether
 * help was asked for. A usage mistake becomes `<source>: arguments is "<argv>". <commander's words>. <hint>`.
 */
export function parseProgram<Values extends OptionValues>(
  program: Command,
  argv: readonly string[],
  source: string,
  hint: string,
): { help: boolean; values: Values } {
  try {
    program.parse([...argv], { from: 'user' });
    return { help: false, values: program.opts<Values>() };
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (isHelpRequest(error)) return { help: true, values: program.opts<Values>() };
    throw new ConfigError(source, 'arguments', argv.join(' '), `${describeUsageError(error)}. ${hint}`);
  }
}

/** --help, -h, `help`, or a command with subcommands given none of them. */
export function isHelpRequest(error: CommanderError): boolean {
  return error.code === 'commander.helpDisplayed' || error.code === 'commander.help';
}

/** "error: unknown option '--x'\n(Did you mean --y?)" reads "Unknown option '--x' (Did you mean --y?)". */
export function describeUsageError(error: CommanderError): string {
  const words = error.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The help text, without commander's trailing newline (console.log adds one). */
export function formatHelp(program: Command): string {
  return program.helpInformation().trimEnd();
}
