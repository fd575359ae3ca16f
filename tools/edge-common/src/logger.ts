/** One logger for every executor: concise lines, a progress line per long step, a summary table. */
export const logger = {
  info(line: string): void {
    console.log(line);
  },
  step(line: string): void {
    console.log(`▸ ${line}`);
  },
  done(line: string): void {
    console.log(`✔ ${line}`);
  },
  warn(line: string): void {
    console.warn(`⚠ ${line}`);
  },
  table(rows: Record<string, string | number>[]): void {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
    const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
    console.log(format(columns));
    console.log(format(widths.map((w) => '-'.repeat(w))));
    for (const row of rows) console.log(format(columns.map((c) => String(row[c] ?? ''))));
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
