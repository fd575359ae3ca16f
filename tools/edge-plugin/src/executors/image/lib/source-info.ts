import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, runCommand } from '@edgeship/edge-common';

export interface SourceInfo {
  /** Full commit id of the last commit touching the image's inputs; "-dirty" when they have local changes. */
  revision?: string;
  /** Seconds since 1970 of that commit: every timestamp the image carries derives from it. */
  sourceDateEpoch: number;
  /** Where the code lives (org.opencontainers.image.source). */
  source?: string;
}

/**
 * SOURCE_DATE_EPOCH from the environment wins (the reproducible-builds convention); else the time of the
 * last commit that touched the inputs — not HEAD: Nx restores a cached image for any commit with the same
 * inputs, and its revision and created labels must still be true then. Outside git: epoch 0.
 */
export async function resolveSourceInfo(
  workspaceRoot: string,
  paths: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<SourceInfo> {
  const log = await runCommand('git', ['log', '-1', '--format=%H %ct', '--', ...paths], {
    cwd: workspaceRoot,
    check: false,
  });
  const [commit, time] = log.exitCode === 0 ? log.stdout.trim().split(' ') : [];
  const status = commit
    ? await runCommand('git', ['status', '--porcelain', '--', ...paths], { cwd: workspaceRoot, check: false })
    : undefined;
  const isDirty = !!status && status.exitCode === 0 && status.stdout.trim() !== '';
  return {
    revision: commit && /^[0-9a-f]{40}$/.test(commit) ? `${commit}${isDirty ? '-dirty' : ''}` : undefined,
    sourceDateEpoch: parseSourceDateEpoch(env['SOURCE_DATE_EPOCH']) ?? (time ? Number(time) : 0),
    source: await resolveSourceUrl(workspaceRoot),
  };
}

export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new ConfigError(
      'environment',
      'SOURCE_DATE_EPOCH',
      value,
      'Set it to whole seconds since 1970 (e.g. `git log -1 --format=%ct`) or unset it.',
    );
  }
  return Number(value.trim());
}

/** The git remote (without any credentials in it), else package.json "repository". */
async function resolveSourceUrl(workspaceRoot: string): Promise<string | undefined> {
  const remote = await runCommand('git', ['remote', 'get-url', 'origin'], {
    cwd: workspaceRoot,
    check: false,
  });
  if (remote.exitCode === 0 && remote.stdout.trim()) return stripCredentials(remote.stdout.trim());
  try {
    const manifest = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
      repository?: string | { url?: string };
    };
    const repository =
      typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
    return repository ? stripCredentials(repository) : undefined;
  } catch {
    return undefined;
  }
}

export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
