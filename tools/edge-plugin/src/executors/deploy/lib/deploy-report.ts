/** What the edge_report callback wrote (playbooks/callback_plugins/edge_report.py). */
export interface AnsibleReport {
  hosts: Record<
    string,
    {
      recap: { ok: number; changed: number; failures: number; unreachable: number; rescued: number };
      result?: Record<string, unknown> | null;
      error?: { kind: string; task: string; msg: string } | null;
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
  /** Changes Ansible reported on the node: 0 on a deploy that found the release already in place. */
  changed: number;
  seconds: number;
  error?: string;
}

/**
 * One row per node: those the rollout reached from the callback's report, then the targeted nodes it never
 * reached (a failed canary or batch stopped it), which keep the release they had.
 */
export function summarizeReport(report: AnsibleReport, targetedHosts: readonly string[]): NodeOutcome[] {
  const rows: NodeOutcome[] = Object.entries(report.hosts).map(([node, entry]) => {
    const result = entry.result ?? {};
    const text = (key: string): string => (result[key] === undefined ? '' : String(result[key]));
    const health: NodeHealth =
      entry.recap.unreachable > 0
        ? 'unreachable'
        : text('health') === 'healthy' && entry.recap.failures === 0
          ? 'healthy'
          : text('health') === 'failed'
            ? 'failed'
            : entry.recap.failures === 0 && !entry.error
              ? // Answered the first play's fact gathering, then the rollout stopped before its batch.
                'not reached'
              : 'refused';
    return {
      node,
      arch: text('arch'),
      delivery: text('delivery'),
      version: text('version'),
      release: text('release'),
      health,
      changed: entry.recap.changed,
      seconds: Number(result['seconds'] ?? 0),
      ...(health === 'healthy' || health === 'not reached'
        ? {}
        : { error: entry.error?.msg ?? text('error') ?? 'failed' }),
    };
  });
  for (const node of targetedHosts) {
    if (report.hosts[node]) continue;
    rows.push({
      node,
      arch: '',
      delivery: '',
      version: '',
      release: '',
      health: 'not reached',
      changed: 0,
      seconds: 0,
    });
  }
  return rows.sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }));
}

export function isDeploySuccessful(rows: readonly NodeOutcome[], exitCode: number): boolean {
  return exitCode === 0 && rows.length > 0 && rows.every((row) => row.health === 'healthy');
}
