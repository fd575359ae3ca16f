/**
 * Runs work while recording what it prints to console.log/warn/error, instead of printing it:
 * node:test (Node 20) reads a spec file's stdout as its report channel, and arbitrary lines there
 * can break it ("Unable to deserialize cloned data"). Failing assertions show the captured text.
 */
export async function captureOutput<T>(work: () => Promise<T>): Promise<{ result: T; output: string }> {
  const lines: string[] = [];
  const originals = { log: console.log, warn: console.warn, error: console.error };
  for (const level of ['log', 'warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    };
  }
  try {
    const result = await work();
    return { result, output: lines.join('\n') };
  } finally {
    Object.assign(console, originals);
  }
}
