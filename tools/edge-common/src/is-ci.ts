/**
 * CI systems set CI=true (GitHub, GitLab) or CI=1; "false"/"0"/"" mean a laptop. One reading for the pipeline
 * runner and the executors, so "in CI" means the same thing to both.
 */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = (env['CI'] ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}
