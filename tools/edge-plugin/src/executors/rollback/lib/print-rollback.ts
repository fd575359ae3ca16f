import { logger } from '@edgeship/edge-common';
import type { RollbackReport } from './run-rollback';

/**
 * The table a person reads (one row per service and node: from, to, health, action), why each row that is not
 * healthy is not, the refusals that stopped the rollback, one verdict line. With json, only the JSON document.
 */
export function printRollback(report: RollbackReport, options: { json: boolean }): void {
  if (options.json) {
    logger.info(JSON.stringify(report, null, 2));
    return;
  }
  for (const refusal of report.refused)
    logger.warn(`${refusal.service} on ${refusal.node}: ${refusal.reason}`);
  logger.table(
    report.rows.map((row) => ({
      node: row.node,
      service: row.service,
      from: row.from,
      to: row.to,
      delivery: row.delivery,
      health: row.health,
      action: row.action,
      seconds: row.seconds ? row.seconds.toFixed(1) : '',
    })),
  );
  for (const row of report.rows.filter((r) => r.error))
    logger.warn(`${row.service} on ${row.node}: ${row.error}`);
  if (report.refused.length > 0)
    logger.warn(`rollback refused on ${report.refused.length} service×node(s): nothing was changed`);
  else if (report.success) logger.done(`rolled back in ${report.seconds.toFixed(1)} s: all healthy`);
  else logger.warn(`rollback finished in ${report.seconds.toFixed(1)} s: not every node is healthy`);
}
