import type { PipelineResult, StageResult } from './run-pipeline';

/** One row per stage for logger.table: what ran, what came from the cache, how long, how it ended. */
export function summarizeStages(result: PipelineResult): Record<string, string | number>[] {
  return result.stages.map((stage) => ({
    stage: stage.stage,
    tasks: stage.tasks.length,
    'cache hits': stage.cachedTasks.length,
    executed: stage.executedTasks.length,
    duration:
      stage.status === 'not run' || stage.status === 'skipped' ? '-' : `${stage.seconds.toFixed(1)} s`,
    status: describeStatus(stage),
  }));
}

function describeStatus(stage: StageResult): string {
  if (stage.status === 'skipped') return 'skipped (nothing affected)';
  if (stage.status === 'ok' && stage.tasks.length === 0) return 'ok (nothing affected)';
  return stage.status;
}

/** The --json document: figures a benchmark or a CI step reads. */
export function toJsonReport(result: PipelineResult): object {
  const total = (pick: (s: StageResult) => string[]) => result.stages.reduce((n, s) => n + pick(s).length, 0);
  return {
    ok: result.failedStage === undefined,
    failedStage: result.failedStage ?? null,
    scope: result.scope,
    ...(result.affected ? { affected: result.affected } : {}),
    seconds: round(result.seconds),
    tasks: total((s) => s.tasks),
    cacheHits: total((s) => s.cachedTasks),
    executed: total((s) => s.executedTasks),
    stages: result.stages.map((s) => ({ ...s, seconds: round(s.seconds) })),
  };
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
