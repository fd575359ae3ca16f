import { ToolError } from './errors';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Stream the tool's output to ours while it runs (long steps); it is captured either way. */
  stream?: boolean;
  /** Fail with a ToolError on a non-zero exit (default true). */
  check?: boolean;
  timeoutMs?: number;
}

export interface RunResult {
  /** The tool's exit code; 1 when it has none (killed by a signal, never started). */
  exitCode: number;
  /** The signal that ended the tool, when one did (then exitCode says 1, but the tool did not exit). */
  signal?: string;
  stdout: string;
  stderr: string;
}

/**
 * The one place edgeship spawns processes. Output is streamed when asked and always
 * captured, never swallowed: a failure carries the tool's own stderr.
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { stream = false, check = true } = options;
  // execa is ESM-only: a static import compiles to require() in this CommonJS package, which tsx
  // then fails to resolve (unicorn-magic exports only `import`); a dynamic import loads it as ESM.
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    input: options.input,
    timeout: options.timeoutMs,
    reject: false,
    stdout: stream ? ['pipe', 'inherit'] : 'pipe',
    stderr: stream ? ['pipe', 'inherit'] : 'pipe',
    stripFinalNewline: true,
  });
  const exitCode = result.exitCode ?? 1;
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  const signal = result.signal;
  if (check && (exitCode !== 0 || result.failed)) {
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs} ms`
      : result.code === 'ENOENT'
        ? `was not found on PATH`
        : signal
          ? `was killed by ${signal}`
          : `exited with code ${exitCode}`;
    throw new ToolError(`${file} ${why}`, [file, ...args].join(' '), result.exitCode, stderr || stdout, {
      signal,
      shortMessage: result.shortMessage,
      cause: result.cause,
    });
  }
  return signal ? { exitCode, signal, stdout, stderr } : { exitCode, stdout, stderr };
}

export interface FollowOptions {
  env?: Record<string, string | undefined>;
  /** Called with each line of the tool's stdout as it arrives. */
  onLine: (line: string) => void;
  /** Ends the tool (SIGTERM); the result then counts as a success. */
  signal?: AbortSignal;
}

/**
 * A long-running tool whose output is read line by line as it comes (journalctl --follow over ssh), until it
 * ends or `signal` aborts it (SIGTERM). stderr is captured and returned, never swallowed. The tool must be
 * the one holding its output: a child it leaves running would keep the pipes, and this call, open.
 */
export async function followLines(
  file: string,
  args: readonly string[],
  options: FollowOptions,
): Promise<RunResult> {
  const { execa } = await import('execa');
  const subprocess = execa(file, args, {
    env: options.env,
    stdin: 'ignore',
    reject: false,
    cancelSignal: options.signal,
    stripFinalNewline: true,
  });
  for await (const line of subprocess.iterable({ from: 'stdout' })) options.onLine(String(line));
  const result = await subprocess;
  return {
    exitCode: result.isCanceled ? 0 : (result.exitCode ?? 1),
    stdout: '',
    stderr: String(result.stderr ?? ''),
  };
}
