import { logger } from './logger';

/**
 * A mistake the user can fix: names the file, the field, the bad value and the fix,
 * so the one error boundary can print it without a stack trace.
 */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly value: unknown,
    readonly fix: string,
  ) {
    super(`${file}: ${field} ${describeValue(value)}. ${fix}`);
    this.name = 'ConfigError';
  }
}

/** What execa knew about a failed process, kept on the ToolError for whoever needs more than the message. */
export interface ToolFailure {
  /** The signal that ended the process (SIGTERM, SIGKILL), when one did. */
  signal?: string;
  /** execa's one-line account ("Command was killed with SIGTERM (Termination): sh -c ..."). */
  shortMessage?: string;
  /** The underlying error (spawn ENOENT, a timeout), when there is one. */
  cause?: unknown;
}

/** A tool (docker, npm, ansible, ...) failed; keeps the tool's own stderr. */
export class ToolError extends Error {
  readonly signal: string | undefined;
  readonly shortMessage: string | undefined;

  constructor(
    message: string,
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderr: string,
    failure: ToolFailure = {},
  ) {
    super(stderr.trim() ? `${message}\n--- ${command} said:\n${stderr.trim()}` : message, {
      cause: failure.cause,
    });
    this.name = 'ToolError';
    this.signal = failure.signal;
    this.shortMessage = failure.shortMessage;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'is missing';
  return `is ${JSON.stringify(value)}`;
}

/** The one place that turns an error into what the user reads; returns the exit code. */
export function reportError(error: unknown, log: (line: string) => void = logger.error): number {
  if (error instanceof ConfigError || error instanceof ToolError) {
    log(`✖ ${error.message}`);
    return 1;
  }
  log(`✖ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
}
