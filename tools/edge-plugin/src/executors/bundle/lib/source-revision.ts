import { runCommand } from '@edgeship/edge-common';

/**
 * The revision baked into the bundle is the last commit that touched the bundle's own inputs, not HEAD:
 * Nx restores a cached bundle for any commit with the same inputs, and the revision must still be true then.
 * Uncommitted changes to those inputs add "-dirty".
 */
export function gitRevisionArgs(paths: readonly string[]): string[] {
  return ['log', '-1', '--format=%H', '--', ...paths];
}

export function gitDirtyArgs(paths: readonly string[]): string[] {
  return ['status', '--porcelain', '--', ...paths];
}

export function formatRevision(commit: string, dirtyListing: string): string | undefined {
  const sha = commit.trim();
  if (!/^[0-9a-f]{40}$/.test(sha)) return undefined;
  return dirtyListing.trim() ? `${sha.slice(0, 12)}-dirty` : sha.slice(0, 12);
}

/** Undefined outside a git work tree (e.g. a tarball checkout): service-kit then reports "unknown". */
export async function resolveSourceRevision(
  workspaceRoot: string,
  paths: readonly string[],
): Promise<string | undefined> {
  const log = await runCommand('git', gitRevisionArgs(paths), { cwd: workspaceRoot, check: false });
  if (log.exitCode !== 0) return undefined;
  const status = await runCommand('git', gitDirtyArgs(paths), { cwd: workspaceRoot, check: false });
  return formatRevision(log.stdout, status.exitCode === 0 ? status.stdout : '');
}
