import { parseArgs } from 'node:util';
import { ConfigError } from '@edgeship/edge-common';

export interface PipelineArgs {
  help: boolean;
  all: boolean;
  base?: string;
  head?: string;
  stages?: string[];
  inventory?: string;
  json: boolean;
}

export const HELP_TEXT = `edgeship pipeline: the stages of pipelines/stages.yml, run here as CI runs them

Usage:
  npm run pipeline -- [--base REV] [--head REV] [--all] [--stages a,b] [--inventory FILE] [--json]
  node --import tsx tools/pipeline/src/cli.ts [same flags]   (skips npm run's set-up step)
npm run pipeline first runs tools/scripts/setup.mjs (prerequisites, npm ci when the lockfile changed).
Works on the Nx workspace of the current directory (the nearest folder with nx.json).

Stages, in order: format, lock, test, bundle, image, release, deploy (every stage of
pipelines/stages.yml, main-only ones included: this is the local fleet and registry).
Decides once what is affected, then makes one nx call per stage that has work:
  nx affected -t <every stage> --base=<base> [--head=<head>] --graph=<file>   (once: what each stage reaches)
  nx run-many -t <stage> --projects=<affected for it>     (default; a stage nothing reaches is skipped,
                                                           and with nothing affected no stage runs)
  nx run-many --all -t <stage>                            (--all, or when the base commit does not exist)
Prints a progress line per stage and a summary table (stage, tasks, cache hits, executed, duration,
status); stops at the first failing stage, names it and exits 1.

Options:
  --base REV        base commit for nx affected (default: $NX_BASE, else nx.json defaultBase "main").
                    A base that is not a commit in this repository falls back to a full run, and says so.
  --head REV        head commit (default: $NX_HEAD; without one, nx affected also counts uncommitted
                    and untracked files).
  --all             every project: nx run-many --all.
  --stages a,b      run only these stages (kept in pipeline order), e.g. --stages format,lock,test.
  --inventory FILE  Ansible inventory for the deploy stage (default: $EDGESHIP_INVENTORY; locally, without
                    either, the local fleet's .edgeship/fleet/default/inventory.yml, which must exist).
                    A deploy stage without an inventory is refused before anything runs (with CI=true
                    always: CI never falls back to the local fleet).
  --json            no Nx output; progress on stderr, the summary as one JSON document on stdout
                    (npm run -s pipeline -- --json keeps npm's own lines off stdout).
  -h, --help        this text.

Environment: NX_BASE, NX_HEAD, EDGESHIP_INVENTORY, CI.`;

/** Turns argv (without node and script) into options; a mistake is a ConfigError naming the fix. */
export function parsePipelineArgs(argv: readonly string[]): PipelineArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      strict: true,
      options: {
        base: { type: 'string' },
        head: { type: 'string' },
        all: { type: 'boolean' },
        stages: { type: 'string' },
        inventory: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new ConfigError(
      'pipeline',
      'arguments',
      argv.join(' '),
      `${(error as Error).message}. See --help.`,
    );
  }
  const { values } = parsed;
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
    help: values.help ?? false,
    all: values.all ?? false,
    base: values.base,
    head: values.head,
    stages,
    inventory: values.inventory,
    json: values.json ?? false,
  };
}
