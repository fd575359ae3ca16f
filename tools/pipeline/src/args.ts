import type { Command } from 'commander';
import { ConfigError } from '@edgeship/edge-common';
import { createProgram, formatHelp, parseProgram } from '@edgeship/edge-common/cli';

export interface PipelineArgs {
  help: boolean;
  all: boolean;
  base?: string;
  head?: string;
  stages?: string[];
  inventory?: string;
  json: boolean;
}

// The defaults of --base, --head and --inventory are only named here: scope.ts and inventory.ts own them.
function createPipelineProgram(): Command {
  return createProgram(
    'npm run pipeline',
    '[-- options]',
    `The stages of pipelines/stages.yml, run here as CI runs them.
Works on the Nx workspace of the current directory (the nearest folder with nx.json). npm run pipeline first \
runs tools/scripts/setup.mjs (prerequisites, npm ci when the lockfile changed); \
node --import tsx tools/pipeline/src/cli.ts [options] skips that step.

Stages, in order: format, lock, test, bundle, image, release, deploy (every stage of
pipelines/stages.yml, main-only ones included: this is the local fleet and registry).
Decides once what is affected, then makes one nx call per stage that has work:
  nx affected -t <every stage> --base=<base> [--head=<head>] --graph=<file>   (once: what each stage reaches)
  nx run-many -t <stage> --projects=<affected for it>     (default; a stage nothing reaches is skipped,
                                                           and with nothing affected no stage runs)
  nx run-many --all -t <stage>                            (--all, or when the base commit does not exist)
Prints a progress line per stage and a summary table (stage, tasks, cache hits, executed, duration,
status); stops at the first failing stage, names it and exits 1.
Environment: NX_BASE, NX_HEAD, EDGESHIP_INVENTORY, CI.`,
  )
    .option(
      '--base <REV>',
      'base commit for nx affected. A base that is not a commit in this repository falls back to a full ' +
        'run, and says so (default: $NX_BASE, else nx.json defaultBase, else "main")',
    )
    .option(
      '--head <REV>',
      'head commit (default: $NX_HEAD; without one, nx affected also counts uncommitted and untracked files)',
    )
    .option('--all', 'every project: nx run-many --all')
    .option(
      '--stages <a,b>',
      'run only these stages (kept in pipeline order), e.g. --stages format,lock,test (default: every stage)',
    )
    .option(
      '--inventory <FILE>',
      'Ansible inventory for the deploy stage. A deploy stage without an inventory is refused before ' +
        'anything runs (with CI=true always: CI never falls back to the local fleet) (default: ' +
        "$EDGESHIP_INVENTORY; locally, without either, the local fleet's .edgeship/fleet/default/inventory.yml, " +
        'which must exist)',
    )
    .option(
      '--json',
      "no Nx output; progress on stderr, the summary as one JSON document on stdout (npm run -s pipeline -- --json keeps npm's own lines off stdout)",
    );
}

export const HELP_TEXT = formatHelp(createPipelineProgram());

/** Turns argv (without node and script) into options; a mistake is a ConfigError naming the fix. */
export function parsePipelineArgs(argv: readonly string[]): PipelineArgs {
  const { help, values } = parseProgram<Partial<Omit<PipelineArgs, 'help' | 'stages'>> & { stages?: string }>(
    createPipelineProgram(),
    argv,
    'pipeline',
    'See --help.',
  );
  for (const flag of ['base', 'head', 'inventory'] as const) {
    if (values[flag] === '')
      throw new ConfigError('pipeline', `--${flag}`, '', 'Give a value or leave the flag out.');
  }
  if (values.all && values.base !== undefined) {
    throw new ConfigError(
      'pipeline',
      '--all with --base',
      values.base,
      'Use one: --all runs everything, --base runs what changed.',
    );
  }
  const stages = values.stages
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (values.stages !== undefined && stages?.length === 0) {
    throw new ConfigError(
      'pipeline',
      '--stages',
      values.stages,
      'List stage names separated by commas, e.g. format,test.',
    );
  }
  return {
    help,
    all: values.all ?? false,
    base: values.base,
    head: values.head,
    stages,
    inventory: values.inventory,
    json: values.json ?? false,
  };
}
