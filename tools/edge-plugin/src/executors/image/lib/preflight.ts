import { ToolError, runCommand } from '@edgeship/edge-common';

const BOOTSTRAP =
  'Run tools/bootstrap/bootstrap.sh (it installs and starts what edgeship needs), then retry.';

export interface ToolCheck {
  what: string;
  file: string;
  args: string[];
}

/** The tools a target needs, checked before any work so a missing one fails in a second, naming the fix. */
export const IMAGE_TOOLS: readonly ToolCheck[] = [
  { what: 'the docker engine', file: 'docker', args: ['version', '--format', '{{.Server.Version}}'] },
  { what: 'docker buildx', file: 'docker', args: ['buildx', 'version'] },
  { what: 'zstd', file: 'zstd', args: ['--version'] },
  { what: 'GNU tar', file: 'tar', args: ['--version'] },
];

export async function checkTools(tools: readonly ToolCheck[], env?: NodeJS.ProcessEnv): Promise<void> {
  for (const tool of tools) {
    try {
      await runCommand(tool.file, tool.args, { env, timeoutMs: 60_000 });
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      throw new ToolError(
        `${explainMissingTool(tool, `${error.message}\n${error.stderr}`)} ${BOOTSTRAP}`,
        error.command,
        error.exitCode,
        error.stderr,
      );
    }
  }
}

/** Turns what the tool printed into the sentence a user needs: missing, or installed but not answering. */
export function explainMissingTool(tool: ToolCheck, output: string): string {
  if (/not found on PATH|ENOENT/.test(output))
    return `${tool.what} is not installed (${tool.file} is not on PATH).`;
  if (/is not a docker command|unknown command: docker /i.test(output))
    return `${tool.what} is not installed (the docker CLI has no such plugin).`;
  if (
    /Cannot connect to the Docker daemon|Is the docker daemon running|connect: (no such file|connection refused)|error during connect/i.test(
      output,
    )
  ) {
    return 'the docker engine is not running or not reachable (DOCKER_HOST / /var/run/docker.sock).';
  }
  return `${tool.what} does not work here.`;
}
