/** Where the logger's lines go: ordinary lines to `out`, warnings and errors to `err`. */
export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

const consoleSink: LogSink = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

let sink: LogSink = consoleSink;

/**
 * Sends every logger line to `next` (a spec's recorder, stderr) instead of the console; returns the function
 * that puts the previous sink back. Tests read what a tool said here rather than patching console.
 */
export function setLogSink(next: LogSink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

/** One logger for every executor: concise lines, a progress line per long step, a summary table. */
export const logger = {
  info(line: string): void {
    sink.out(line);
  },
  step(line: string): void {
    sink.out(`▸ ${line}`);
  },
  done(line: string): void {
    sink.out(`✔ ${line}`);
  },
  warn(line: string): void {
    sink.err(`⚠ ${line}`);
  },
  error(line: string): void {
    sink.err(line);
  },
  table(rows: Record<string, string | number>[]): void {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
    const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
    sink.out(format(columns));
    sink.out(format(widths.map((w) => '-'.repeat(w))));
    for (const row of rows) sink.out(format(columns.map((c) => String(row[c] ?? ''))));
  },
};

/** Runs a long step with a progress line before and its duration after. */
export async function timedStep<T>(label: string, work: () => Promise<T>): Promise<T> {
  logger.step(`${label} …`);
  const started = Date.now();
  const result = await work();
  logger.done(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}
