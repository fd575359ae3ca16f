import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The --json report of tools/pipeline (see tools/pipeline/src/summary.ts). */
export interface PipelineReport {
  ok: boolean;
  failedStage: string | null;
  scope: { kind: 'affected' | 'all'; reason: string };
  seconds: number;
  tasks: number;
  cacheHits: number;
  executed: number;
  stages: {
    stage: string;
    status: string;
    tasks: string[];
    cachedTasks: string[];
    executedTasks: string[];
    seconds: number;
  }[];
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
}

/** Environment for nx in a throwaway workspace: no daemon, no cloud, no terminal UI. */
export function nxEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { NX_BASE: _b, NX_HEAD: _h, EDGESHIP_INVENTORY: _i, ...env } = process.env;
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...extra };
}

/** Runs the workspace's own pipeline CLI (the copy's tools/pipeline) exactly as a user would. */
export function runPipelineCli(root: string, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'tools/pipeline/src/cli.ts'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: nxEnv(env),
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

/** The pipeline's --json report; a failed run throws with the tail of its progress output. */
export function readPipelineReport(run: CliRun): PipelineReport {
  let report: PipelineReport | undefined;
  try {
    report = JSON.parse(run.stdout) as PipelineReport;
  } catch {
    // fall through: no JSON means the CLI failed before the summary
  }
  if (!report || run.code !== 0) {
    throw new Error(
      `pipeline exited ${run.code}${report ? ` (stage ${report.failedStage} failed)` : ''}:\n${run.stderr.split('\n').slice(-60).join('\n')}`,
    );
  }
  return report;
}

export function runNx(
  root: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { code: number | null; output: string } {
  const result = spawnSync(join(root, 'node_modules/.bin/nx'), args, {
    cwd: root,
    encoding: 'utf8',
    env: nxEnv(env),
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, output: result.stdout + result.stderr };
}

export function listAffectedProjects(root: string, base: string, head: string): string[] {
  const run = runNx(root, ['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--json']);
  if (run.code !== 0) throw new Error(`nx show projects --affected failed:\n${run.output}`);
  return (JSON.parse(run.output.slice(run.output.indexOf('['))) as string[]).sort();
}

/** Each node's 127.0.0.1 port for a container port, from the fleet's inventory (edge_published_ports). */
export function readPublishedPorts(inventoryFile: string, containerPort: number): Record<string, number> {
  const doc = parse(readFileSync(inventoryFile, 'utf8')) as {
    all: { children: { edge: { hosts: Record<string, { edge_published_ports: Record<number, number> }> } } };
  };
  const ports: Record<string, number> = {};
  for (const [node, vars] of Object.entries(doc.all.children.edge.hosts)) {
    ports[node] = vars.edge_published_ports[containerPort]!;
  }
  return ports;
}

export async function fetchJson(url: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Tasks of projects other than the given ones (e.g. "hello-edge:bundle"). */
export function tasksOfOtherProjects(tasks: readonly string[], projects: readonly string[]): string[] {
  return tasks.filter((task) => !projects.includes(task.slice(0, task.indexOf(':'))));
}
