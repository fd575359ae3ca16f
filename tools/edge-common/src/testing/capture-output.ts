import { setLogSink } from '../logger';

/**
 * Runs work with the logger writing into a recorder instead of the console, and returns what it said (lines
 * and errors in order): specs assert on a tool's words without patching console. On Node 20, node:test reads a
 * spec file's stdout as its report channel, where arbitrary lines can break it.
 */
export async function captureOutput<T>(work: () => Promise<T>): Promise<{ result: T; output: string }> {
  const lines: string[] = [];
  const record = (line: string) => {
    lines.push(line);
  };
  const restore = setLogSink({ out: record, err: record });
  try {
    const result = await work();
    return { result, output: lines.join('\n') };
  } finally {
    restore();
  }
}

/**
 * For a spec file whose code logs outside captureOutput: the logger writes to stderr, never to the stdout that
 * Node 20's test runner reads its reports from ("Unable to deserialize cloned data"). Call at top level.
 */
export function logToStderr(): void {
  const write = (line: string) => {
    process.stderr.write(`${line}\n`);
  };
  setLogSink({ out: write, err: write });
}
