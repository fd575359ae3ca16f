#!/usr/bin/env -S node --import tsx
import { join } from 'node:path';
import { reportError, ToolError, logger } from '@edgeship/edge-common';
import { HELP_TEXT, parsePipelineArgs } from './args';
import { describeFailed, runPipeline, type PipelineLog } from './run-pipeline';
import { summarizeStages, toJsonReport } from './summary';
import { findWorkspaceRoot } from './workspace-root';

// The workspace the command is run in (as nx finds it), else the one this file belongs to.
const WORKSPACE_ROOT = findWorkspaceRoot(process.cwd()) ?? join(__dirname, '..', '..', '..');

// With --json, stdout carries only the JSON document: progress goes to stderr.
const stderrLog: PipelineLog = {
  step: (line) => console.error(`▸ ${line}`),
  done: (line) => console.error(`✔ ${line}`),
  warn: (line) => console.error(`⚠ ${line}`),
  info: (line) => console.error(line),
};

/** The CLI: parse, run, summarize; errors become exit codes in exactly one place (below). */
async function main(argv: readonly string[]): Promise<number> {
  const args = parsePipelineArgs(argv);
  if (args.help) {
    console.log(HELP_TEXT);
    return 0;
  }
  const result = await runPipeline({
    workspaceRoot: WORKSPACE_ROOT,
    all: args.all,
    base: args.base,
    head: args.head,
    stages: args.stages,
    inventory: args.inventory,
    stream: !args.json,
    log: args.json ? stderrLog : logger,
  });
  if (args.json) console.log(JSON.stringify(toJsonReport(result), null, 2));
  else {
    logger.info('');
    logger.table(summarizeStages(result));
    logger.info(`pipeline: ${result.seconds.toFixed(1)} s`);
  }
  const failed = result.stages.find((s) => s.stage === result.failedStage);
  if (failed) {
    throw new ToolError(
      `pipeline stage "${failed.stage}" failed${describeFailed(failed)}`,
      failed.command,
      failed.exitCode,
      '',
    );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = reportError(error)),
);
