import { reportError } from '@edgeship/edge-common';

export interface ExecutorResult {
  success: boolean;
}

/**
 * The executors' one error boundary: whatever the work throws is reported once (a ConfigError or a ToolError
 * as its message, anything else with its stack) and becomes a failed task instead of a crash of nx; what the
 * work returns passes through. Clean-up the work needs either way goes in `.finally` on the result.
 */
export async function runExecutor(work: () => Promise<ExecutorResult>): Promise<ExecutorResult> {
  try {
    return await work();
  } catch (error) {
    reportError(error);
    return { success: false };
  }
}
