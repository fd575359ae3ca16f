import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '@edgeship/edge-common';
import { parseRunnerLabels, parseStageSecrets, type RunnerLabels } from './stage-trust';

export const STAGES_FILE = join('pipelines', 'stages.yml');

/** `every-pipeline` stages run on branches, merge requests and main; `main` stages on main only. */
export type StageWhen = 'every-pipeline' | 'main';

export interface PipelineStage {
  target: string;
  when: StageWhen;
  /** The stage deploys: it takes the inventory file (required in CI). */
  needsInventory: boolean;
  /** Nx --parallel for this stage; undefined keeps Nx's default. */
  parallel?: number;
  /** CI secrets the stage needs; empty for every-pipeline stages (stage-trust.ts). */
  secrets: string[];
  description: string;
}

export interface PipelineDefinition {
  mainBranch: string;
  inventoryVariable: string;
  /** CI runner labels by trust level; undefined when stages.yml names none (the local runner needs none). */
  runners?: RunnerLabels;
  stages: PipelineStage[];
}

const TARGET_NAME = /^[a-z][a-z0-9-]*$/;

/** Reads pipelines/stages.yml, the one list of stages the runner and both CI files share. */
export function readPipelineDefinition(workspaceRoot: string): PipelineDefinition {
  const file = join(workspaceRoot, STAGES_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(
      STAGES_FILE,
      'file',
      undefined,
      'The pipeline stages are listed there; restore it from git.',
    );
  }
  return parsePipelineDefinition(parse(text), relative(workspaceRoot, file));
}

export function parsePipelineDefinition(document: unknown, file = STAGES_FILE): PipelineDefinition {
  const doc = (document ?? {}) as Record<string, unknown>;
  const mainBranch = readString(doc, 'mainBranch', file);
  const inventoryVariable = readString(doc, 'inventoryVariable', file);
  if (!Array.isArray(doc.stages) || doc.stages.length === 0) {
    throw new ConfigError(
      file,
      'stages',
      doc.stages,
      'List the stages: - target: <nx target>, when: every-pipeline|main.',
    );
  }
  const stages = doc.stages.map((entry: unknown, index: number): PipelineStage => {
    const stage = (entry ?? {}) as Record<string, unknown>;
    const field = `stages[${index}]`;
    if (typeof stage.target !== 'string' || !TARGET_NAME.test(stage.target)) {
      throw new ConfigError(file, `${field}.target`, stage.target, 'Name an Nx target, e.g. "test".');
    }
    if (stage.when !== 'every-pipeline' && stage.when !== 'main') {
      throw new ConfigError(file, `${field}.when`, stage.when, 'Use "every-pipeline" or "main".');
    }
    if (
      stage.parallel !== undefined &&
      !(Number.isInteger(stage.parallel) && (stage.parallel as number) >= 1)
    ) {
      throw new ConfigError(
        file,
        `${field}.parallel`,
        stage.parallel,
        'Use a whole number of tasks at once, e.g. 1.',
      );
    }
    return {
      target: stage.target,
      when: stage.when,
      needsInventory: stage.inventory === true,
      ...(stage.parallel !== undefined ? { parallel: stage.parallel as number } : {}),
      secrets: parseStageSecrets(stage.secrets, stage.when, `${field}.secrets`, file),
      description: typeof stage.description === 'string' ? stage.description : '',
    };
  });
  const seen = new Set<string>();
  for (const [index, stage] of stages.entries()) {
    if (seen.has(stage.target)) {
      throw new ConfigError(file, `stages[${index}].target`, stage.target, 'List each target once.');
    }
    seen.add(stage.target);
  }
  // Main-only stages ship what the earlier stages built, so they come last.
  const firstMain = stages.findIndex((s) => s.when === 'main');
  const lateEvery = stages.findIndex(
    (s, i) => firstMain !== -1 && i > firstMain && s.when === 'every-pipeline',
  );
  if (lateEvery !== -1) {
    throw new ConfigError(
      file,
      `stages[${lateEvery}].when`,
      'every-pipeline',
      'Put every-pipeline stages before the main-only ones.',
    );
  }
  const runners = parseRunnerLabels(doc.runners, file);
  return { mainBranch, inventoryVariable, ...(runners ? { runners } : {}), stages };
}

/** Keeps the named stages in pipeline order; an unknown name is a mistake, not a silent skip. */
export function selectStages(
  definition: PipelineDefinition,
  names: readonly string[] | undefined,
): PipelineStage[] {
  if (!names || names.length === 0) return definition.stages;
  const known = definition.stages.map((s) => s.target);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new ConfigError('--stages', 'stage', name, `Choose from ${known.join(', ')} (${STAGES_FILE}).`);
    }
  }
  return definition.stages.filter((s) => names.includes(s.target));
}

function readString(doc: Record<string, unknown>, field: string, file: string): string {
  const value = doc[field];
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(file, field, value, `Set ${field} to a non-empty string.`);
  }
  return value;
}
