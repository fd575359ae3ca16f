import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';
import type { PullReport } from '../../executors/status/lib/status-rows';

/**
 * The reports pull-mode nodes PUT to the channel (<channel>/reports/<node>.json), by node. A report that is not
 * one is named, not skipped: status would otherwise show the node as merely unreachable.
 */
export function readPullReports(channelDir: string): Map<string, PullReport> {
  const dir = join(channelDir, 'reports');
  const reports = new Map<string, PullReport>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  } catch {
    throw new ConfigError(
      '--pull-reports',
      'directory',
      channelDir,
      'Give the pull channel’s directory (the one `npm run pull -- serve --channel` serves): it has a reports/ folder.',
    );
  }
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    let report: PullReport;
    try {
      report = JSON.parse(text) as PullReport;
    } catch {
      throw new ConfigError(
        join(dir, file),
        'report',
        undefined,
        'It is not JSON: remove it; the node writes it again at its next pull.',
      );
    }
    if (
      typeof report?.node !== 'string' ||
      `${report.node}.json` !== file ||
      typeof report.services !== 'object'
    )
      throw new ConfigError(
        join(dir, file),
        'node',
        report?.node,
        'A node report names its node as its file does: remove it; the node writes it again at its next pull.',
      );
    reports.set(report.node, report);
  }
  return reports;
}
