import {
  describeTimeline,
  type HealthGateResult,
  type RolloutStep,
  type TimelineEntry,
} from './deploy-timeline';

/** What the edge_report callback wrote (playbooks/callback_plugins/edge_report.py). */
export interface AnsibleReport {
  /** When the run started (epoch seconds); timeline starts count from it. */
  started?: number;
  hosts: Record<
    string,
    {
      recap: { ok: number; changed: number; failures: number; unreachable: number; rescued: number };
      /** The role's set_stats: per service, what happened on this node. */
      result?: { edge_services?: Record<string, Record<string, unknown>> } | null;
      error?: { kind: string; task: string; msg: string } | null;
      /** Every task that ran on the node, timed. */
      timeline?: TimelineEntry[];
    }
  >;
}

export type NodeHealth = 'healthy' | 'failed' | 'refused' | 'unreachable' | 'not reached';

export interface NodeOutcome {
  node: string;
  arch: string;
  delivery: string;
  version: string;
  release: string;
  health: NodeHealth;
  /** What the role did: deployed, already deployed, rolled back, refused, failed; empty when not reached. */
  action: string;
  /** How the artifact reached the node (rsync delta against ..., whole file (why), registry pull, none). */
  transfer: string;
  /** Bytes sent for the artifact (rsync's count for a delta). */
  transferBytes: number;
  /** Changes Ansible reported on the node: 0 on a deploy that found the release already in place. */
  changed: number;
  seconds: number;
  error?: string;
  /** The unit's last journal lines on that node when its release failed (bounded by the role). */
  journal?: string[];
  /** The rollout's steps on this node (probe, check, preflight, install, switch, health gate, ...), timed. */
  steps?: RolloutStep[];
  /** What each health gate on this node answered: the new release's, and the old one's after a rollback. */
  gates?: HealthGateResult[];
}

/**
 * One row per node for one service: those the rollout reached from the callback's report, then the targeted
 * nodes it never reached (a failed canary or batch stopped it), which keep the release they had.
 */
export function summarizeReport(
  report: AnsibleReport,
  service: string,
  targetedHosts: readonly string[],
): NodeOutcome[] {
  const rows: NodeOutcome[] = Object.entries(report.hosts).map(([node, entry]) => {
    const services = entry.result?.edge_services ?? {};
    const result = services[service] ?? {};
    const text = (key: string): string => (result[key] === undefined ? '' : String(result[key]));
    const health = healthOf(entry, text('health'), Object.keys(services).length > 0);
    return {
      node,
      arch: text('arch'),
      delivery: text('delivery'),
      version: text('version'),
      release: text('release'),
      health,
      action: text('action'),
      transfer: text('transfer'),
      transferBytes: Number(result['transfer_bytes'] ?? 0),
      changed: entry.recap.changed,
      seconds: Number(result['seconds'] ?? 0),
      ...(health === 'healthy' || health === 'not reached'
        ? {}
        : { error: text('error') || entry.error?.msg || 'failed' }),
      ...(Array.isArray(result['journal']) && result['journal'].length > 0
        ? { journal: (result['journal'] as unknown[]).map(String) }
        : {}),
      ...describeTimeline(entry.timeline, service),
    };
  });
  for (const node of targetedHosts) {
    if (report.hosts[node]) continue;
    rows.push({
      ...{ node, arch: '', delivery: '', version: '', release: '', health: 'not reached', action: '' },
      ...{ transfer: '', transferBytes: 0, changed: 0, seconds: 0 },
    });
  }
  return rows.sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }));
}

function healthOf(
  entry: AnsibleReport['hosts'][string],
  reported: string,
  hasAnyService: boolean,
): NodeHealth {
  if (entry.recap.unreachable > 0) return 'unreachable';
  if (reported === 'healthy' || reported === 'failed' || reported === 'refused') return reported;
  // Nothing reported for this service: the node failed before any service ran (refused), or the service's
  // rollout stopped before this node's batch (it answered the probe, so it is "not reached").
  return entry.recap.failures > 0 && !hasAnyService ? 'refused' : 'not reached';
}

export function isDeploySuccessful(rows: readonly NodeOutcome[], exitCode: number): boolean {
  return exitCode === 0 && rows.length > 0 && rows.every((row) => row.health === 'healthy');
}
