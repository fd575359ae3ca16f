import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError, runCommand } from '@edgeship/edge-common';
import type { PipelineScope } from './scope';

/** Per stage target, the projects whose task for it the change reaches, e.g. { test: ['a', 'b'] }. */
export type AffectedProjects = Record<string, string[]>;

type AffectedScope = Extract<PipelineScope, { kind: 'affected' }>;

/**
 * One nx call for the whole pipeline: `nx affected -t <every stage> --graph=<file>` writes the task
 * graph it would run, without running it. Asking once costs one Nx start-up, not one per stage.
 */
export function buildAffectedGraphArgs(
  targets: readonly string[],
  scope: AffectedScope,
  graphFile: string,
): string[] {
  return [
    'affected',
    '-t',
    ...targets,
    `--base=${scope.baseSha}`,
    ...(scope.head ? [`--head=${scope.head}`] : []),
    `--graph=${graphFile}`,
  ];
}

/**
 * Reads the task graph file of `nx affected --graph=<file>.json`: { tasks: { tasks: { "<id>":
 * { target: { project, target } } } } }. The graph holds the affected tasks of every target asked
 * for plus the tasks they depend on, so a task that runs only as a dependency (a lock an affected
 * bundle needs) is listed under its own stage: it runs there instead of inside the later one.
 */
export function readAffectedProjects(
  graph: unknown,
  targets: readonly string[],
  file = 'nx affected --graph',
): AffectedProjects {
  const tasks = (graph as { tasks?: { tasks?: unknown } } | undefined)?.tasks?.tasks;
  if (typeof tasks !== 'object' || tasks === null) {
    throw new ToolError(
      `${file} holds no task graph (tasks.tasks); this Nx writes another format`,
      file,
      0,
      '',
    );
  }
  const affected: AffectedProjects = Object.fromEntries(targets.map((target) => [target, []]));
  for (const task of Object.values(
    tasks as Record<string, { target?: { project?: unknown; target?: unknown } }>,
  )) {
    const { project, target } = task.target ?? {};
    if (typeof project !== 'string' || typeof target !== 'string') continue;
    const projects = affected[target];
    if (projects && !projects.includes(project)) projects.push(project);
  }
  for (const projects of Object.values(affected)) projects.sort();
  return affected;
}

/** Asks nx once which projects each stage target reaches between the scope's base and head. */
export async function findAffectedProjects(
  nx: string,
  workspaceRoot: string,
  targets: readonly string[],
  scope: AffectedScope,
  env: NodeJS.ProcessEnv,
): Promise<AffectedProjects> {
  const folder = mkdtempSync(join(tmpdir(), 'edgeship-affected-'));
  const graphFile = join(folder, 'task-graph.json');
  try {
    const args = buildAffectedGraphArgs(targets, scope, graphFile);
    const run = await runCommand(nx, args, {
      cwd: workspaceRoot,
      env: { ...env, NX_TUI: 'false', FORCE_COLOR: env.FORCE_COLOR ?? '0' },
      stream: false,
      check: false,
    });
    if (run.exitCode !== 0) {
      throw new ToolError(
        'nx could not work out what is affected',
        `nx ${args.join(' ')}`,
        run.exitCode,
        run.stderr || run.stdout,
      );
    }
    return readAffectedProjects(JSON.parse(readFileSync(graphFile, 'utf8')), targets, `nx ${args.join(' ')}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
