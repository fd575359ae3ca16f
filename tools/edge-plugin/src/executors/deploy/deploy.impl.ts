import type { ExecutorContext } from '@nx/devkit';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { ConfigError, reportError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { runCommand } from '../../lib/run-command';
import { ansibleArgs, ansibleEnv, type NormalizedDeployOptions } from './lib/ansible-args';
import { listArtifactFiles, readManifests, resolveArtifacts } from './lib/artifacts';
import { isDeploySuccessful, summarizeReport, type AnsibleReport } from './lib/deploy-report';
import { readInventoryHosts } from './lib/inventory';
import { normalizeOptions } from './lib/normalize-options';
import { verifyContainerArtifacts } from './lib/verify-images';
import type { DeployExecutorOptions } from './schema';

/** Resolve artifacts → ansible-playbook deploy.yml (streamed) → summary table + JSON report. */
export default async function deployExecutor(
  options: DeployExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    const normalized = normalizeOptions(options, context);
    const targeted = normalized.inventories.flatMap(
      (file) => readInventoryHosts(file, normalized.hosts, normalized.workspaceRoot) ?? [],
    );
    const artifacts = await resolveDeployArtifacts(normalized);
    const { service } = normalized;
    logger.step(
      `deploy ${service.name} ${service.version} (${service.delivery}) to ${normalized.hosts}, serial ${normalized.serial.join(',')}`,
    );
    const started = Date.now();
    const ansibleReport = `${normalized.reportFile}.ansible.json`;
    await rm(ansibleReport, { force: true });
    const run = await runCommand('ansible-playbook', ansibleArgs(normalized, artifacts), {
      cwd: normalized.playbookDir,
      env: { ...process.env, ...ansibleEnv(normalized, Boolean(process.stdout.isTTY)) },
      stream: true,
      check: false,
    });
    const raw = await readFile(ansibleReport, 'utf8').catch(() => undefined);
    if (!raw)
      throw new ConfigError(
        'ansible-playbook',
        'exit code',
        run.exitCode,
        `No report was written; read the output above.\n${run.stderr}`,
      );
    const nodes = summarizeReport(JSON.parse(raw) as AnsibleReport, targeted);
    const success = isDeploySuccessful(nodes, run.exitCode);
    const report = {
      service: service.name,
      version: service.version,
      success,
      exitCode: run.exitCode,
      seconds: (Date.now() - started) / 1000,
      nodes,
    };
    await mkdir(dirname(normalized.reportFile), { recursive: true });
    await writeFile(normalized.reportFile, JSON.stringify(report, null, 2) + '\n');
    await rm(ansibleReport, { force: true });
    printSummary(normalized, report);
    return { success };
  } catch (error) {
    reportError(error);
    return { success: false };
  }
}

async function resolveDeployArtifacts(options: NormalizedDeployOptions) {
  const { service, artifactDir } = options;
  // A container service also ships its executables: nodes that cannot run podman fall back to them.
  const deliveries =
    service.delivery === 'container' ? (['container', 'binary'] as const) : (['binary'] as const);
  const files = listArtifactFiles(artifactDir, service.name, [...deliveries]);
  const resolved = await resolveArtifacts(files, readManifests(artifactDir));
  if (!resolved.artifacts[service.delivery]) {
    const target = service.delivery === 'binary' ? 'bundle' : 'image';
    throw new ConfigError(
      relative(options.workspaceRoot, artifactDir),
      `${service.delivery} artifacts`,
      undefined,
      `None of ${files
        .filter((f) => f.delivery === service.delivery)
        .map((f) => relative(options.workspaceRoot, f.path))
        .join(', ')} exists. Build them: nx run ${service.name}:${target}.`,
    );
  }
  for (const file of resolved.unrecorded) {
    logger.warn(
      `${relative(options.workspaceRoot, file)}: no SHA256SUMS or release.json records it; its checksum was taken now`,
    );
  }
  return verifyContainerArtifacts(options, resolved.artifacts);
}

function printSummary(
  options: NormalizedDeployOptions,
  report: { success: boolean; seconds: number; nodes: ReturnType<typeof summarizeReport> },
): void {
  logger.table(
    report.nodes.map((node) => ({
      service: options.service.name,
      node: node.node,
      arch: node.arch,
      delivery: node.delivery,
      version: node.version,
      health: node.health,
      changed: node.changed,
      seconds: node.seconds.toFixed(1),
    })),
  );
  for (const node of report.nodes.filter((n) => n.error)) logger.warn(`${node.node}: ${node.error}`);
  const line = `${options.service.name} ${options.service.version}: ${report.nodes.filter((n) => n.health === 'healthy').length}/${report.nodes.length} nodes healthy in ${report.seconds.toFixed(1)} s (report: ${displayPath(options.workspaceRoot, options.reportFile)})`;
  if (report.success) logger.done(line);
  else logger.warn(line);
  if (options.json) console.log(JSON.stringify(report, null, 2));
}

/** Paths inside the workspace relative to it, others as they are. */
function displayPath(workspaceRoot: string, path: string): string {
  const shown = relative(workspaceRoot, path);
  return shown.startsWith('..') ? path : shown;
}
