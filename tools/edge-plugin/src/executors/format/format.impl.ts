import type { ExecutorContext } from '@nx/devkit';
import { ToolError, logger, runCommand } from '@edgeship/edge-common';
import { resolveProjectRoot } from '../../lib/project';
import { parseUnformattedFiles, prettierArgs } from './lib/prettier-args';
import type { FormatExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

export default async function formatExecutor(
  options: FormatExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return runExecutor(async () => {
    const projectRoot = resolveProjectRoot(context);
    const prettier = require.resolve('prettier/bin/prettier.cjs', { paths: [context.root, __dirname] });
    const result = await runCommand(
      process.execPath,
      [prettier, ...prettierArgs(projectRoot, !!options.fix)],
      {
        cwd: context.root,
        check: false,
      },
    );
    const unformatted = parseUnformattedFiles(result.stderr + '\n' + result.stdout);
    if (result.exitCode === 0) {
      logger.done(options.fix ? `formatted ${projectRoot}` : `${projectRoot}: every file is formatted`);
      return { success: true };
    }
    if (unformatted.length === 0) {
      throw new ToolError('prettier failed', `prettier ${projectRoot}`, result.exitCode, result.stderr);
    }
    logger.info(`✖ ${unformatted.length} file(s) not formatted with Prettier:`);
    for (const file of unformatted) logger.info(`  ${file}`);
    logger.info(`Fix: npx nx run ${context.projectName}:format --fix   (or npm run format:write)`);
    return { success: false };
  });
}
