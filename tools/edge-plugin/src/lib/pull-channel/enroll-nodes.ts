import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ToolError } from '@edgeship/edge-common';
import { playbookArgs } from '../../executors/deploy/lib/ansible-args';
import { readInventoryHosts } from '../../executors/deploy/lib/inventory';
import { runPlaybook } from '../../executors/deploy/lib/run-playbook';
import { decideTrustPolicy } from '../../executors/deploy/lib/trust-policy';

export interface EnrollInput {
  workspaceRoot: string;
  inventory: string;
  hosts: string;
  limit?: string;
  /** The channel's URL as the nodes reach it. */
  channel: string;
  services: { name: string; port: number }[];
  /** systemd time span between pulls (default 5min). */
  interval?: string;
  randomizedDelay?: string;
  healthTimeout?: number;
  stabilityWindow?: number;
  verbose: boolean;
  /** Where EDGESHIP_TRUST_ANCHOR and CI are read (the process's by default). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs playbooks/pull.yml: the nodes get the pull agent, the pinned release key and edgeship-pull.timer. The key
 * is the deploy's trust anchor, chosen by the deploy's own policy: a real inventory never pins the local
 * fleet's development key.
 */
export async function enrollNodes(input: EnrollInput): Promise<{ nodes: string[] }> {
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(input.channel))
    throw new ConfigError(
      'pull enroll',
      '--channel',
      input.channel,
      'Give the http(s) URL the nodes reach the channel at.',
    );
  const hosts = readInventoryHosts(input.inventory, input.hosts, input.workspaceRoot);
  const policy = decideTrustPolicy(
    {
      workspaceRoot: input.workspaceRoot,
      inventories: [input.inventory],
      allowUnsigned: false,
    },
    input.env,
  );
  if (!policy.anchor)
    throw new ConfigError(
      'pipelines/trust/release.pub',
      'trust anchor',
      undefined,
      'Pull mode pins the release public key on every node: commit it there, or set EDGESHIP_TRUST_ANCHOR.',
    );
  const playbookDir = join(input.workspaceRoot, 'playbooks');
  const scratch = await mkdtemp(join(tmpdir(), 'edgeship-enroll-'));
  try {
    const extraVars = {
      edge_pull_hosts: input.hosts,
      edge_pull_channel: input.channel,
      edge_pull_services: input.services,
      edge_pull_trust_anchor: policy.anchor.file,
      ...(input.interval ? { edge_pull_interval: input.interval } : {}),
      ...(input.randomizedDelay ? { edge_pull_randomized_delay: input.randomizedDelay } : {}),
      ...(input.healthTimeout ? { edge_pull_health_timeout: input.healthTimeout } : {}),
      ...(input.stabilityWindow !== undefined ? { edge_pull_stability_window: input.stabilityWindow } : {}),
    };
    const { report, exitCode } = await runPlaybook({
      playbookDir,
      args: playbookArgs(
        'pull.yml',
        { inventories: [input.inventory], limit: input.limit, verbose: input.verbose },
        extraVars,
      ),
      reportFile: join(scratch, 'report'),
      stream: input.verbose,
    });
    const failed = Object.entries(report.hosts).filter(
      ([, entry]) => entry.recap.failures + entry.recap.unreachable > 0,
    );
    if (exitCode !== 0 || failed.length > 0) {
      const where = failed.map(([node, entry]) => `${node} (${entry.error?.msg ?? 'see Ansible output'})`);
      throw new ToolError(
        `pull enroll failed${where.length > 0 ? ` on ${where.join(', ')}` : ''}: those nodes are not enrolled; run it again with --verbose for Ansible's output`,
        'ansible-playbook pull.yml',
        exitCode,
        failed.map(([, entry]) => entry.error?.msg ?? '').join('\n'),
      );
    }
    return { nodes: Object.keys(report.hosts).length > 0 ? Object.keys(report.hosts) : (hosts ?? []) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
