import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { logger, runCommand } from '@edgeship/edge-common';
import { resolveProjectRoot } from '../../lib/project';
import { findSpecFiles, nodeTestArgs } from './lib/find-spec-files';
import { testEnvironment } from './lib/test-environment';
import type { TestExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

export default async function testExecutor(
  options: TestExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return runExecutor(async () => {
    const projectRoot = resolveProjectRoot(context);
    const files = findSpecFiles(join(context.root, projectRoot), options.pattern);
    if (files.length === 0) {
      // A project with no tests is a mistake worth seeing, not a silent green.
      logger.info(`✖ ${projectRoot}: no *.spec.ts files found. Add tests beside the code (src/*.spec.ts).`);
      return { success: false };
    }
    logger.step(`${projectRoot}: ${files.length} spec file(s)`);
    const result = await runCommand(process.execPath, nodeTestArgs(files, options.concurrency), {
      cwd: context.root,
      env: testEnvironment(),
      stream: true,
      check: false,
    });
    return { success: result.exitCode === 0 };
  });
}
