import { logger } from '@edgeship/edge-common';
import type { StatusReport } from './run-status';
import type { HistoryRecord, StatusRow } from './status-rows';

/**
 * The table a person reads at a glance (one row per service and node), why each flagged row is flagged, the
 * last history records when asked, one verdict line. With json, only the JSON document, so it can be piped.
 */
export function printStatus(report: StatusReport, options: { json: boolean; history: number }): void {
  if (options.json) {
    logger.info(JSON.stringify(report, null, 2));
    return;
  }
  const now = Date.now();
  logger.table(report.rows.map((row) => describeRow(row, now)));
  if (options.history > 0) printHistory(report.rows, options.history);
  for (const row of report.rows.filter((r) => r.problem))
    logger.warn(`${row.service} on ${row.node}: ${row.problem}`);
  const nodes = new Set(report.rows.map((row) => row.node)).size;
  const flagged = report.rows.filter((row) => row.problem).length;
  const line = `${report.rows.length} services×nodes on ${nodes} nodes read in ${report.seconds.toFixed(1)} s`;
  if (report.rows.length === 0) logger.warn('no node matched: check the inventory and --hosts/--limit');
  else if (report.success) logger.done(`${line}: all healthy`);
  else logger.warn(`${line}: ${flagged} need attention`);
}

function describeRow(row: StatusRow, now: number): Record<string, string | number> {
  return {
    node: row.node,
    service: row.service,
    arch: row.arch,
    delivery: row.delivery,
    release: describeRelease(row),
    // A pull-mode node's row is what it reported, not what was read now: say when.
    unit: row.reportedAt ? `${row.unit} (reported ${describeAge(row.reportedAt, now)})` : row.unit,
    health: row.health,
    since: row.since ? describeAge(row.since, now) : '',
    kept: row.kept.length || '',
    'last deploy': row.lastDeploy ? describeLastDeploy(row.lastDeploy, now) : '',
  };
}

/** "1.2.0 (3f9a0c2b1d4e)": the version, then what tells two builds of it apart. */
export function describeRelease(row: Pick<StatusRow, 'version' | 'release'>): string {
  if (!row.release) return '';
  const suffix = row.version && row.release.startsWith(`${row.version}-`);
  return suffix ? `${row.version} (${row.release.slice(row.version.length + 1)})` : row.release;
}

/** "12 min ago": how long, which is what a person at 3 a.m. wants; the JSON keeps the time. */
export function describeAge(iso: string, now: number): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 90) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

function describeLastDeploy(record: HistoryRecord, now: number): string {
  return `${describeAge(record.at, now)}, ${record.action} ${record.outcome}`;
}

function printHistory(rows: readonly StatusRow[], count: number): void {
  logger.info(`\nhistory (last ${count} per node and service):`);
  logger.table(
    rows.flatMap((row) =>
      row.history.slice(-count).map((record) => ({
        node: row.node,
        service: row.service,
        at: record.at,
        action: record.action,
        from: record.from || '-',
        to: record.to ?? '',
        outcome: record.outcome + (record.error ? `: ${record.error.slice(0, 80)}` : ''),
        by: record.by ?? '',
      })),
    ),
  );
}
