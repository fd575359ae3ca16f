import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, runCommand } from '@edgeship/edge-common';

/** Which projects each stage runs on: those affected between base and head, or all of them. */
export type PipelineScope =
  | { kind: 'affected'; base: string; baseSha: string; head?: string; reason: string }
  | { kind: 'all'; reason: string; isFallback: boolean };

export interface ScopeRequest {
  all?: boolean;
  base?: string;
  head?: string;
}

/**
 * --all wins; then --base / NX_BASE; then nx.json's defaultBase. A base that is not a commit here
 * (a typo, a shallow clone, history rewritten since) falls back to a full run, and says so.
 * Without a head, nx affected also counts uncommitted and untracked files, as on a laptop one wants.
 */
export async function resolveScope(
  workspaceRoot: string,
  request: ScopeRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PipelineScope> {
  if (request.all) return { kind: 'all', reason: '--all: every project', isFallback: false };
  const head = request.head ?? (env.NX_HEAD || undefined);
  if (head !== undefined && (await resolveCommit(workspaceRoot, head)) === undefined) {
    throw new ConfigError(
      request.head !== undefined ? '--head' : 'NX_HEAD',
      'head commit',
      head,
      'Give a commit that exists here (git log --oneline), or leave it out to use the working tree.',
    );
  }
  const [base, source] =
    request.base !== undefined
      ? [request.base, '--base']
      : env.NX_BASE
        ? [env.NX_BASE, 'NX_BASE']
        : [readDefaultBase(workspaceRoot), 'nx.json defaultBase'];
  const baseSha = await resolveCommit(workspaceRoot, base);
  if (baseSha === undefined) {
    return {
      kind: 'all',
      reason: `base commit "${base}" (${source}) does not exist in this repository: falling back to a full run (nx run-many --all)`,
      isFallback: true,
    };
  }
  return {
    kind: 'affected',
    base,
    baseSha,
    head,
    reason: `affected since ${base} (${baseSha.slice(0, 9)}, ${source})${head ? ` up to ${head}` : ', working tree included'}`,
  };
}

export function readDefaultBase(workspaceRoot: string): string {
  try {
    const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as {
      defaultBase?: unknown;
    };
    return typeof nxJson.defaultBase === 'string' ? nxJson.defaultBase : 'main';
  } catch {
    return 'main';
  }
}

/** The full sha of a revision that names a commit, or undefined (missing, a tree, or no repository). */
export async function resolveCommit(cwd: string, revision: string): Promise<string | undefined> {
  if (revision.startsWith('-')) return undefined; // never let a revision turn into a git option
  const result = await runCommand('git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], {
    cwd,
    check: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
