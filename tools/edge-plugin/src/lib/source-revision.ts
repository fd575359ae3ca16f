import { runCommand } from '@edgeship/edge-common';

/**
 * The revision of a build is the last commit that touched the build's own inputs, not HEAD: Nx restores a
 * cached bundle or image for any commit with the same inputs, and the revision must still be true then.
 * Uncommitted changes to those inputs add "-dirty". The bundle bakes in and records 12 hex digits; the image
 * labels all 40 (org.opencontainers.image.revision); the build record tells both apart as the same commit.
 */
export const SHORT_REVISION = 12;
export const FULL_REVISION = 40;

export function gitRevisionArgs(paths: readonly string[]): string[] {
  return ['log', '-1', '--format=%H', '--', ...paths];
}

export function gitDirtyArgs(paths: readonly string[]): string[] {
  return ['status', '--porcelain', '--', ...paths];
}

export function formatRevision(
  commit: string,
  dirtyListing: string,
  length = SHORT_REVISION,
): string | undefined {
  const sha = commit.trim();
  if (!/^[0-9a-f]{40}$/.test(sha)) return undefined;
  return `${sha.slice(0, length)}${dirtyListing.trim() ? '-dirty' : ''}`;
}

/** Undefined outside a git work tree (e.g. a tarball checkout): service-kit then reports "unknown". */
export async function resolveSourceRevision(
  workspaceRoot: string,
  paths: readonly string[],
  length = SHORT_REVISION,
): Promise<string | undefined> {
  const log = await runCommand('git', gitRevisionArgs(paths), { cwd: workspaceRoot, check: false });
  if (log.exitCode !== 0) return undefined;
  const status = await runCommand('git', gitDirtyArgs(paths), { cwd: workspaceRoot, check: false });
  return formatRevision(log.stdout, status.exitCode === 0 ? status.stdout : '', length);
}

/** Seconds since 1970 of a commit (its committer date), e.g. of the revision a build was made from. */
export async function resolveCommitTime(
  workspaceRoot: string,
  revision: string,
): Promise<number | undefined> {
  const sha = revision.replace(/-dirty$/, '');
  const show = await runCommand('git', ['show', '-s', '--format=%ct', sha], {
    cwd: workspaceRoot,
    check: false,
  });
  const time = show.stdout.trim();
  return show.exitCode === 0 && /^\d+$/.test(time) ? Number(time) : undefined;
}
