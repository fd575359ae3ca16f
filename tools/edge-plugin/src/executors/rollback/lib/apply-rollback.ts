import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playbookArgs } from '../../deploy/lib/ansible-args';
import type { AnsibleReport } from '../../deploy/lib/deploy-report';
import { runPlaybook } from '../../deploy/lib/run-playbook';
import type { NormalizedRollbackOptions } from './normalize-rollback-options';
import type { RollbackStep } from './plan-rollback';

/**
 * rollback.yml's variables: the planned target of every service on every node to switch, and the role's
 * knobs. Only those nodes are played (canary = the first of them in inventory order); podman is probed only
 * where a container release is a target.
 */
export function rollbackVars(
  services: readonly NormalizedRollbackOptions[],
  steps: readonly RollbackStep[],
): Record<string, unknown> {
  const options = services[0]!;
  const targets: Record<string, Record<string, string>> = {};
  for (const step of steps) targets[step.node] = { ...targets[step.node], [step.service]: step.to };
  const nodes = Object.keys(targets);
  return {
    edge_rollback_hosts: nodes.join(':'),
    edge_rollback_serial: options.serial,
    edge_rollback_services: services.map(({ service }) => ({
      ...{ name: service.name, port: service.port, state_dir: service.stateDirectory },
    })),
    edge_rollback_targets: targets,
    edge_rollback_podman_nodes: [
      ...new Set(steps.filter((step) => step.delivery === 'container').map((step) => step.node)),
    ],
    edge_service_health_timeout: options.healthTimeout,
    edge_service_stability_window: options.stabilityWindow,
    ...options.extraVars,
  };
}

/** One Ansible run of rollback.yml for every planned switch; the edge_report callback's report and exit code. */
export async function applyRollback(
  services: readonly NormalizedRollbackOptions[],
  steps: readonly RollbackStep[],
): Promise<{ report: AnsibleReport; exitCode: number }> {
  const options = services[0]!;
  // The callback's file is scratch: a rollback's answer is the table (or --json), not a file in dist/.
  const scratch = await mkdtemp(join(tmpdir(), 'edgeship-rollback-'));
  try {
    return await runPlaybook({
      playbookDir: options.playbookDir,
      args: playbookArgs('rollback.yml', options, rollbackVars(services, steps)),
      reportFile: join(scratch, 'report'),
      stream: options.verbose,
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
