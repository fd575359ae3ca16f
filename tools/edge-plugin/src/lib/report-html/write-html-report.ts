import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The page beside a JSON report: dist/<svc>/deploy-report.json → dist/<svc>/deploy-report.html. */
export function htmlPathOf(jsonReport: string): string {
  return jsonReport.endsWith('.json') ? `${jsonReport.slice(0, -'.json'.length)}.html` : `${jsonReport}.html`;
}

export async function writeHtmlReport(file: string, page: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, page);
}
