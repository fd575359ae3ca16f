import { summarizeReport, type AnsibleReport, type NodeHealth } from '../../deploy/lib/deploy-report';
import { readNodes } from '../../status/lib/read-nodes';
import { logger } from '@edgeship/edge-common';
import { applyRollback } from './apply-rollback';
import type { NormalizedRollbackOptions } from './normalize-rollback-options';
import { planRollback, type RollbackRefusal, type RollbackStep } from './plan-rollback';
import { verifyKeptReleases, type KeptRelease } from './verify-kept-releases';

/** One service on one node after the rollback: from which release to which, and how it went. */
export interface RollbackRow {
  service: string;
  node: string;
  from: string;
  to: string;
  version: string;
  delivery: string;
  health: NodeHealth;
  /** rolled back, already running, rolled forward (the kept release failed its gate), refused, ... */
  action: string;
  seconds: number;
  error?: string;
}

export interface RollbackReport {
  success: boolean;
  seconds: number;
  rows: RollbackRow[];
  /** Why nothing was changed: a node with nothing to go back to, or without the --to release. */
  refused: RollbackRefusal[];
}

/** History records read per node to find the release the current one was deployed over. */
const HISTORY_RECORDS = 100;

/**
 * Plan, then switch: one status.yml read of every targeted node decides each target on the controller (refusals
 * stop everything before a node changes), then ONE rollback.yml run switches every service on every node,
 * canary first. Nodes that already run a --to release, healthy, are left alone.
 */
export async function runRollback(services: readonly NormalizedRollbackOptions[]): Promise<RollbackReport> {
  const options = services[0]!;
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const read = await readNodes({
    ...options,
    playbook: 'status.yml',
    extraVars: {
      edge_status_hosts: options.hosts,
      edge_status_services: services.map(({ service }) => ({ name: service.name, port: service.port })),
      edge_status_history: HISTORY_RECORDS,
    },
  });
  const plan = planRollback(
    read,
    services.map(({ service, to }) => ({ name: service.name, ...(to ? { to } : {}) })),
  );
  const unreachable = plan.unreachable.map((entry) => ({
    ...emptyRow(entry.service, entry.node),
    ...{ health: 'unreachable' as const, action: 'not rolled back', error: entry.reason },
  }));
  if (plan.refusals.length > 0)
    return { success: false, seconds: seconds(), rows: unreachable, refused: plan.refusals };
  // The trust chain again, for what is about to run: a kept release whose signature no longer verifies stops
  // the whole rollback before a node changes.
  const unverified = await verifyKeptReleases(
    plan.steps.filter((step) => !step.isInPlace),
    (step) => keptRelease(read, step),
    options.trust,
  );
  if (unverified.length > 0)
    return { success: false, seconds: seconds(), rows: unreachable, refused: unverified };
  const inPlace = plan.steps.filter((step) => step.isInPlace).map((step) => rowOf(step, 'already running'));
  const toSwitch = plan.steps.filter((step) => !step.isInPlace);
  const switched: RollbackRow[] = [];
  let exitCode = 0;
  if (toSwitch.length > 0) {
    if (!options.json)
      logger.step(
        `rolling back ${toSwitch.length} service×node(s) on ${new Set(toSwitch.map((s) => s.node)).size} node(s), canary first …`,
      );
    const applied = await applyRollback(services, toSwitch);
    exitCode = applied.exitCode;
    for (const { service } of services) {
      const steps = toSwitch.filter((step) => step.service === service.name);
      const outcomes = summarizeReport(
        applied.report,
        service.name,
        steps.map((step) => step.node),
      );
      for (const step of steps) {
        const outcome = outcomes.find((row) => row.node === step.node)!;
        switched.push({
          ...rowOf(step, outcome.action || (outcome.health === 'not reached' ? 'not reached' : '')),
          health: outcome.health,
          seconds: outcome.seconds,
          ...(outcome.error ? { error: outcome.error } : {}),
        });
      }
    }
  }
  const rows = [...switched, ...inPlace, ...unreachable].sort(
    (a, b) =>
      a.service.localeCompare(b.service) || a.node.localeCompare(b.node, undefined, { numeric: true }),
  );
  const success = exitCode === 0 && rows.length > 0 && rows.every((row) => row.health === 'healthy');
  return { success, seconds: seconds(), rows, refused: [] };
}

/** The kept release a step switches to, as the probe read it on the step's node. */
function keptRelease(read: AnsibleReport, step: RollbackStep): KeptRelease | undefined {
  const result = read.hosts[step.node]?.result as {
    edge_status?: { services?: Record<string, { releases?: KeptRelease[] }> };
  } | null;
  return result?.edge_status?.services?.[step.service]?.releases?.find((release) => release.name === step.to);
}

function rowOf(step: RollbackStep, action: string): RollbackRow {
  const { service, node, from, to, version, delivery } = step;
  return { service, node, from, to, version, delivery, health: 'healthy', action, seconds: 0 };
}

function emptyRow(service: string, node: string): Omit<RollbackRow, 'health' | 'action'> {
  return { service, node, from: '', to: '', version: '', delivery: '', seconds: 0 };
}
