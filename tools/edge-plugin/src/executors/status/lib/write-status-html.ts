import { relative } from 'node:path';
import { logger } from '@edgeship/edge-common';
import { renderStatusHtml } from '../../../lib/report-html/render-status-html';
import { writeHtmlReport } from '../../../lib/report-html/write-html-report';
import type { NormalizedStatusOptions } from './normalize-status-options';
import type { StatusReport } from './run-status';

/** --html: the same status as a page; its path is said only beside the table (--json keeps stdout JSON). */
export async function writeStatusHtml(report: StatusReport, options: NormalizedStatusOptions): Promise<void> {
  if (!options.html) return;
  await writeHtmlReport(
    options.html,
    renderStatusHtml(report, { inventory: options.inventories.join(', ') }),
  );
  if (!options.json) logger.info(`page: ${relative(process.cwd(), options.html) || options.html}`);
}
