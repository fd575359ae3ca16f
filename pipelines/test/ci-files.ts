import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readPipelineDefinition } from '@edgeship/pipeline/stages';

// What the CI-file specs share: the CI files as CI reads them (parsed YAML), and the commands
// pipelines/stages.yml says they must run.
export const ROOT = join(__dirname, '..', '..');
export const definition = readPipelineDefinition(ROOT);
export const everyPipeline = definition.stages
  .filter((s) => s.when === 'every-pipeline')
  .map((s) => s.target);
export const mainOnly = definition.stages.filter((s) => s.when === 'main').map((s) => s.target);
export const BUILD = `npx nx affected -t ${everyPipeline.join(' ')} --base="$NX_BASE" --head="$NX_HEAD"`;
/** A stage that needs the deploy SSH key runs inside the per-job ssh-agent that holds it. */
export const DEPLOY_KEY_SECRET = 'EDGESHIP_DEPLOY_KEY';
export const DEPLOY_KEY_WRAPPER = 'bash pipelines/with-deploy-key.sh ';

export const shipCommand = (target: string) => {
  const stage = definition.stages.find((s) => s.target === target)!;
  return [
    `${stage.secrets.includes(DEPLOY_KEY_SECRET) ? DEPLOY_KEY_WRAPPER : ''}npx nx affected -t ${target} --base="$NX_BASE" --head="$NX_HEAD"`,
    ...(stage.parallel ? [`--parallel=${stage.parallel}`] : []),
    ...(stage.needsInventory ? [`--inventory="$${definition.inventoryVariable}"`] : []),
  ].join(' ');
};

export const readYaml = (path: string) =>
  parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, any>;
export const nxCommands = (lines: string[]) =>
  lines.filter((line) => /\bnx (affected|run-many)\b/.test(line));

export type Step = Record<string, any>;
export const stepLines = (steps: Step[]) => steps.flatMap((s) => String(s.run ?? '').split('\n'));
