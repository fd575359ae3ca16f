import { build, formatMessages, type Message } from 'esbuild';
import { relative } from 'node:path';
import { ToolError } from '@edgeship/edge-common';
import { createEsbuildOptions, type EsbuildInput } from './esbuild-options';

export interface BundleResult {
  /** Input files esbuild read, relative to the workspace root (node_modules/… for packages). */
  inputFiles: string[];
  warnings: string[];
}

export async function runEsbuild(input: EsbuildInput): Promise<BundleResult> {
  try {
    const result = await build(createEsbuildOptions(input));
    return {
      inputFiles: Object.keys(result.metafile?.inputs ?? {}),
      warnings: await formatMessages(result.warnings, { kind: 'warning', color: false }),
    };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors?.length) throw error;
    const entry = relative(input.workspaceRoot, input.entry);
    const text = (await formatMessages(errors, { kind: 'error', color: false })).join('\n');
    throw new ToolError(
      `esbuild could not bundle ${entry} (${errors.length} error${errors.length > 1 ? 's' : ''}); fix the source at the place shown below and run bundle again`,
      `esbuild ${entry}`,
      1,
      text,
    );
  }
}
