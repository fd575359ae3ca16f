import type { AnsibleReport } from '../../deploy/lib/deploy-report';
import type { HistoryRecord } from '../../status/lib/status-rows';

/** What edge_node_probe reads of a service that a rollback decides from (playbooks/library/edge_node_probe.py). */
export interface ProbedService {
  current_name: string;
  /** Newest first (directory mtime), each with its release.env. */
  releases: { name: string; env?: Record<string, string> }[];
  history?: HistoryRecord[];
  unit_active?: string;
  healthz?: number;
  version?: string;
}

/** One service on one node to switch: from its current release to a kept one. */
export interface RollbackStep {
  service: string;
  node: string;
  from: string;
  to: string;
  version: string;
  delivery: string;
  /** --to names the release the node already runs, healthy: nothing to switch (a rerun converges). */
  isInPlace: boolean;
}

/** A service on a node that cannot be rolled back, and why, naming what the node keeps. */
export interface RollbackRefusal {
  service: string;
  node: string;
  reason: string;
}

export interface RollbackPlan {
  steps: RollbackStep[];
  refusals: RollbackRefusal[];
  /** Nodes that did not answer the read: not rolled back, and the exit code says so. */
  unreachable: RollbackRefusal[];
}

/**
 * Every targeted node's rollback, decided on the controller from one status.yml read, before anything changes:
 * a refusal anywhere stops the whole rollback (the executor changes nothing then), so an unknown --to or a node
 * with nothing to go back to never leaves a fleet half rolled back.
 */
export function planRollback(
  report: AnsibleReport,
  services: readonly { name: string; to?: string }[],
): RollbackPlan {
  const plan: RollbackPlan = { steps: [], refusals: [], unreachable: [] };
  for (const [node, entry] of Object.entries(report.hosts)) {
    const probe = (entry.result as { edge_status?: { services?: Record<string, ProbedService> } } | null)
      ?.edge_status;
    for (const { name: service, to } of services) {
      const probed = probe?.services?.[service];
      if (entry.recap.unreachable > 0 || !probed) {
        const why = entry.error?.msg || (entry.recap.unreachable > 0 ? 'unreachable' : 'probe failed');
        plan.unreachable.push({ service, node, reason: `${node} did not answer: ${why}` });
        continue;
      }
      const choice = chooseTarget(service, node, probed, to);
      if ('reason' in choice) plan.refusals.push({ service, node, reason: choice.reason });
      else plan.steps.push(choice);
    }
  }
  return plan;
}

/**
 * The release to go back to. With --to: the kept release of that id, or of that version. Without: the release
 * the node ran before it was deployed its current one (the history's last healthy deploy to it), so a rollback
 * after a rollback steps further back instead of undoing it; without such a record (history trimmed, a release
 * deployed before history existed), the newest kept release older than the current one.
 */
export function chooseTarget(
  service: string,
  node: string,
  probed: ProbedService,
  to: string | undefined,
): RollbackStep | { reason: string } {
  const current = probed.current_name;
  const kept = probed.releases.map((release) => release.name);
  if (!current) {
    const keeps = kept.length > 0 ? `it keeps ${kept.join(', ')} but none is current` : 'it keeps no release';
    return { reason: `${service} is not installed on ${node} (${keeps}): nothing to roll back to` };
  }
  const keeps = describeKept(kept, current);
  let target: string | undefined;
  if (to !== undefined) {
    const matches = probed.releases.filter((release) => release.name === to || versionOf(release) === to);
    if (matches.length === 0)
      return { reason: `${node} keeps no release ${to} of ${service}; it keeps ${keeps}` };
    if (matches.length > 1 && !matches.some((release) => release.name === current))
      return {
        reason: `${to} names ${matches.length} releases of ${service} on ${node} (${matches.map((r) => r.name).join(', ')}): name one by its release id`,
      };
    target = matches.some((release) => release.name === current) ? current : matches[0]!.name;
  } else {
    target = previousRelease(probed, kept, current);
    if (target === undefined)
      return {
        reason:
          kept.length > 1
            ? `nothing to roll back to on ${node}: it keeps ${keeps} of ${service}, none older than the current one; name one with --to`
            : `nothing to roll back to on ${node}: it keeps only ${keeps} of ${service}`,
      };
  }
  const release = probed.releases.find((each) => each.name === target)!;
  const version = versionOf(release);
  const isHealthy = probed.unit_active === 'active' && probed.healthz === 200 && probed.version === version;
  return {
    ...{ service, node, from: current, to: target, version },
    delivery: release.env?.['EDGESHIP_DELIVERY'] ?? '',
    isInPlace: target === current && isHealthy,
  };
}

function previousRelease(probed: ProbedService, kept: string[], current: string): string | undefined {
  const deployedCurrent = [...(probed.history ?? [])]
    .reverse()
    .find((record) => record.action === 'deploy' && record.outcome === 'healthy' && record.to === current);
  const from = deployedCurrent?.from;
  if (from && from !== current && kept.includes(from)) return from;
  // Newest first: what follows the current release is older than it.
  return kept[kept.indexOf(current) + 1];
}

/** A release's version: its release.env's, else its id without the sha256 suffix (<version>-<12 hex>). */
export function versionOf(release: { name: string; env?: Record<string, string> }): string {
  return release.env?.['EDGESHIP_VERSION'] || release.name.replace(/-[0-9a-f]{12}$/, '');
}

function describeKept(kept: readonly string[], current: string): string {
  return kept.map((name) => (name === current ? `${name} (current)` : name)).join(', ');
}
