/**
 * GitLab's counterpart of nrwl/nx-set-shas: prints NX_BASE and NX_HEAD (dotenv lines) for `nx affected`.
 *   merge request pipeline  -> CI_MERGE_REQUEST_DIFF_BASE_SHA (GitLab's own merge base)
 *   default branch          -> the commit of the last successful pipeline on it (GitLab API)
 *   other branch            -> merge base with the default branch
 * Without a usable base (first pipeline, API refused, commit gone after a force push) it prints the
 * empty tree as base: every file then counts as changed, so `nx affected` is a full run, and says why.
 * Run: node --import tsx pipelines/gitlab/nx-shas.ts > nx-shas.env
 */
import { runCommand, reportError } from '@edgeship/edge-common';

/** git's well-known empty tree: diffing against it lists every tracked file. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface ShaProbes {
  commitExists(sha: string): Promise<boolean>;
  mergeBase(ref: string, head: string): Promise<string | undefined>;
  lastSuccessfulSha(): Promise<string | undefined>;
}

export interface Shas {
  base: string;
  head: string;
  /** Why this base: printed to stderr so the job log explains a full run. */
  reason: string;
  isFullRun: boolean;
}

export async function chooseShas(env: NodeJS.ProcessEnv, probes: ShaProbes): Promise<Shas> {
  const head = env.CI_COMMIT_SHA || 'HEAD';
  const defaultBranch = env.CI_DEFAULT_BRANCH || 'main';
  const full = (why: string): Shas => ({
    base: EMPTY_TREE,
    head,
    reason: `${why}: full run`,
    isFullRun: true,
  });
  const use = async (sha: string | undefined, what: string): Promise<Shas> => {
    if (!sha) return full(`no ${what}`);
    if (!(await probes.commitExists(sha))) return full(`${what} ${sha} is not in this clone`);
    return { base: sha, head, reason: `${what} ${sha}`, isFullRun: false };
  };
  if (env.CI_MERGE_REQUEST_DIFF_BASE_SHA) {
    return use(env.CI_MERGE_REQUEST_DIFF_BASE_SHA, 'merge request diff base');
  }
  if (env.CI_COMMIT_BRANCH === defaultBranch) {
    return use(await probes.lastSuccessfulSha(), `last successful pipeline on ${defaultBranch}`);
  }
  return use(await probes.mergeBase(`origin/${defaultBranch}`, head), `merge base with ${defaultBranch}`);
}

/** The sha of the newest successful pipeline in a GitLab `GET /projects/:id/pipelines` answer. */
export function readLastSuccessfulSha(body: unknown): string | undefined {
  if (!Array.isArray(body)) return undefined;
  const first = body[0] as { sha?: unknown } | undefined;
  return typeof first?.sha === 'string' && /^[0-9a-f]{40}$/.test(first.sha) ? first.sha : undefined;
}

function createGitProbes(cwd: string, env: NodeJS.ProcessEnv): ShaProbes {
  const git = (args: string[]) => runCommand('git', args, { cwd, check: false });
  return {
    async commitExists(sha) {
      return (await git(['cat-file', '-e', `${sha}^{commit}`])).exitCode === 0;
    },
    async mergeBase(ref, head) {
      const result = await git(['merge-base', ref, head]);
      return result.exitCode === 0 ? result.stdout.trim() : undefined;
    },
    async lastSuccessfulSha() {
      const api = env.CI_API_V4_URL;
      if (!api || !env.CI_PROJECT_ID) return undefined;
      const query = new URLSearchParams({
        ref: env.CI_DEFAULT_BRANCH || 'main',
        status: 'success',
        per_page: '1',
      });
      // The job token can be refused the pipelines API; a project access token with read_api is not.
      const headers: Record<string, string> = env.EDGESHIP_GITLAB_TOKEN
        ? { 'PRIVATE-TOKEN': env.EDGESHIP_GITLAB_TOKEN }
        : { 'JOB-TOKEN': env.CI_JOB_TOKEN ?? '' };
      const response = await fetch(`${api}/projects/${env.CI_PROJECT_ID}/pipelines?${query}`, { headers });
      if (!response.ok) {
        console.error(
          `⚠ GitLab API answered ${response.status} for the last successful pipeline; ` +
            'set EDGESHIP_GITLAB_TOKEN (a project access token with read_api) to fix',
        );
        return undefined;
      }
      return readLastSuccessfulSha(await response.json());
    },
  };
}

async function main(): Promise<void> {
  const shas = await chooseShas(process.env, createGitProbes(process.cwd(), process.env));
  console.error(`${shas.isFullRun ? '⚠' : '✔'} nx affected base: ${shas.reason}`);
  console.log(`NX_BASE=${shas.base}\nNX_HEAD=${shas.head}`);
}

if (require.main === module) {
  main().catch((error) => {
    process.exitCode = reportError(error);
  });
}
