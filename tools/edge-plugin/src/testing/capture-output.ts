/** Runs work while recording what it prints to console.log/warn/error (and still printing it). */
export async function captureOutput<T>(work: () => Promise<T>): Promise<{ result: T; output: string }> {
  const lines: string[] = [];
  const originals = { log: console.log, warn: console.warn, error: console.error };
  for (const level of ['log', 'warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
      originals[level](...args);
    };
  }
  try {
    const result = await work();
    return { result, output: lines.join('\n') };
  } finally {
    Object.assign(console, originals);
  }
}
