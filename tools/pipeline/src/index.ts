export { runPipeline, type PipelineOptions, type PipelineResult, type StageResult } from './run-pipeline';
export { readPipelineDefinition, selectStages, type PipelineDefinition, type PipelineStage } from './stages';
export { resolveScope, type PipelineScope } from './scope';
export { parseNxOutput } from './nx-output';
export { summarizeStages, toJsonReport } from './summary';
export { findAffectedProjects, readAffectedProjects, type AffectedProjects } from './affected-tasks';
export { planStages, isNothingAffected, type PlannedStage } from './stage-plan';
