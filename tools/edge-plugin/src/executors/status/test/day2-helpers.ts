import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand, type RunResult } from '@edgeship/edge-common';
import { runDeployBatch } from '../../deploy/test/deploy-batch';
import { WORKSPACE_ROOT } from '../../deploy/test/fleet-helpers';

/** `npm run status -- …` as a person runs it: exit code, stdout (JSON with --json) and stderr. */
export function statusCommand(args: string[]): Promise<RunResult> {
  return runCommand('node', ['--import', 'tsx', 'tools/scripts/status.ts', ...args], {
    cwd: WORKSPACE_ROOT,
    check: false,
    timeoutMs: 5 * 60_000,
  });
}

export interface DeployedVariant {
  success: boolean;
  seconds: number;
  /** The release id the nodes were given (the first node's row of the deploy report). */
  release: string;
  /** The deploy report, for an assertion's message. */
  text: string;
}

/** A release variant of hello-edge through the deploy executor's batch implementation, binary delivery. */
export async function deployVariant(
  inventory: string,
  workDir: string,
  variant: { service: string; version: string; artifactDir: string; healthTimeout?: number },
): Promise<DeployedVariant> {
  const { service, version, artifactDir } = variant;
  const started = Date.now();
  const report = join(workDir, `${version}.json`);
  const results = await runDeployBatch({
    [service]: {
      ...{
        inventory,
        artifactDir,
        version,
        serial: '100%',
        delivery: 'binary' as const,
        allowUnsigned: true,
      },
      ...{ healthTimeout: variant.healthTimeout ?? 30, stabilityWindow: 2, report },
    },
  });
  const text = await readFile(report, 'utf8').catch(() => '');
  const { nodes } = JSON.parse(text || '{"nodes":[]}') as { nodes: { release: string }[] };
  return {
    success: results[`${service}:deploy`]!.success,
    seconds: (Date.now() - started) / 1000,
    release: nodes[0]?.release ?? '',
    text,
  };
}
