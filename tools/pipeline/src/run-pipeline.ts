import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, runCommand } from '@edgeship/edge-common';
import { findAffectedProjects, type AffectedProjects } from './affected-tasks';
import { resolveInventory } from './inventory';
import { parseNxOutput } from './nx-output';
import { resolveScope, type PipelineScope, type ScopeRequest } from './scope';
import { hasTouchedFiles } from './touched-files';
import { isNothingAffected, planStages } from './stage-plan';
import { readPipelineDefinition, selectStages } from './stages';

export interface PipelineOptions extends ScopeRequest {
  workspaceRoot: string;
  /** Stage names to run (pipeline order is kept); all of pipelines/stages.yml when empty. */
  stages?: string[];
  inventory?: string;
  /** Stream Nx's output while it runs (a person watches), or only capture it (--json). */
  stream?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Where --inventory is relative to. */
  cwd?: string;
  log: PipelineLog;
}

export interface PipelineLog {
  step(line: string): void;
  done(line: string): void;
  warn(line: string): void;
  info(line: string): void;
}

/** skipped: the change reaches no task of the stage, so no nx call was made for it. */
export type StageStatus = 'ok' | 'failed' | 'skipped' | 'not run';

export interface StageResult {
  stage: string;
  command: string;
  status: StageStatus;
  tasks: string[];
  cachedTasks: string[];
  /** Tasks that really ran: tasks minus cache hits. */
  executedTasks: string[];
  failedTasks: string[];
  seconds: number;
  exitCode?: number;
}

export interface PipelineResult {
  scope: PipelineScope;
  /** Per stage target, the projects the change reaches (affected runs only). */
  affected?: AffectedProjects;
  stages: StageResult[];
  failedStage?: string;
  seconds: number;
}

/**
 * Works out once what the change reaches, then runs the stages that have work in order, one nx
 * call each, and stops at the first that fails; never throws for a failed stage.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { workspaceRoot, log } = options;
  const env = options.env ?? process.env;
  const started = Date.now();
  const definition = readPipelineDefinition(workspaceRoot);
  const stages = selectStages(definition, options.stages);
  const inventory = resolveInventory(stages, {
    flag: options.inventory,
    variable: definition.inventoryVariable,
    env,
    cwd: options.cwd ?? process.cwd(),
    workspaceRoot,
  });
  const nx = join(workspaceRoot, 'node_modules', '.bin', 'nx');
  if (!existsSync(nx)) {
    throw new ConfigError(nx, 'nx', undefined, 'Install the workspace first: npm ci.');
  }
  const scope = await resolveScope(workspaceRoot, options, env);
  if (scope.kind === 'all' && scope.isFallback) log.warn(scope.reason);
  log.info(
    `pipeline: ${stages.map((s) => s.target).join(' → ')}; ${scope.kind === 'all' && scope.isFallback ? 'every project' : scope.reason}`,
  );

  // Decide once what is affected (no touched file: git alone; else one nx call), then run only the
  // stages that have work.
  const targets = stages.map((s) => s.target);
  let affected: AffectedProjects | undefined;
  let isUnchanged = false;
  if (scope.kind === 'affected') {
    isUnchanged = !(await hasTouchedFiles(workspaceRoot, scope));
    affected = isUnchanged
      ? Object.fromEntries(targets.map((target) => [target, []]))
      : await findAffectedProjects(nx, workspaceRoot, targets, scope, env);
  }
  const plan = planStages(stages, scope, affected, { inventory });
  const results: StageResult[] = plan.map(({ stage, args, command }) =>
    toResult(stage.target, command, args === undefined ? 'skipped' : 'not run'),
  );
  if (isNothingAffected(plan)) {
    log.done(`nothing affected${isUnchanged ? ' (no file changed)' : ''}: no stage runs`);
  }
  let failedStage: string | undefined;
  for (const [index, { stage, args, command }] of plan.entries()) {
    if (args === undefined) continue;
    log.step(`[${index + 1}/${stages.length}] ${stage.target}: ${command}`);
    const stageStarted = Date.now();
    const run = await runCommand(nx, args, {
      cwd: workspaceRoot,
      // NX_TUI=false: the terminal UI would replace the parseable stream output.
      env: { ...env, NX_TUI: 'false', FORCE_COLOR: env.FORCE_COLOR ?? '0' },
      stream: options.stream ?? true,
      check: false,
    });
    const figures = parseNxOutput(`${run.stdout}\n${run.stderr}`);
    const result: StageResult = {
      stage: stage.target,
      command,
      status: run.exitCode === 0 ? 'ok' : 'failed',
      tasks: figures.tasks,
      cachedTasks: figures.cachedTasks,
      executedTasks: figures.tasks.filter((t) => !figures.cachedTasks.includes(t)),
      failedTasks: figures.failedTasks,
      seconds: (Date.now() - stageStarted) / 1000,
      exitCode: run.exitCode,
    };
    results[index] = result;
    if (result.status === 'failed') {
      failedStage = stage.target;
      if (!(options.stream ?? true)) log.info(tail(`${run.stdout}\n${run.stderr}`, 40));
      log.warn(`${stage.target} failed after ${result.seconds.toFixed(1)} s${describeFailed(result)}`);
      break;
    }
    log.done(
      `${stage.target}: ${result.tasks.length} task(s), ${result.cachedTasks.length} from cache (${result.seconds.toFixed(1)} s)`,
    );
  }
  return { scope, affected, stages: results, failedStage, seconds: (Date.now() - started) / 1000 };
}

function toResult(stage: string, command: string, status: StageStatus): StageResult {
  return {
    stage,
    command,
    status,
    tasks: [],
    cachedTasks: [],
    executedTasks: [],
    failedTasks: [],
    seconds: 0,
  };
}

export function describeFailed(result: StageResult): string {
  return result.failedTasks.length > 0
    ? `: ${result.failedTasks.join(', ')}`
    : ` (nx exit ${result.exitCode})`;
}

function tail(text: string, lines: number): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
