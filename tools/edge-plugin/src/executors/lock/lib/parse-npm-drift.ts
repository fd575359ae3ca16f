/**
 * `npm ci` refuses a lockfile that is out of step with the package.json files and names each
 * drift on a `Missing:` or `Invalid:` line; those lines are what the user needs to read.
 */
export function parseNpmDrift(npmOutput: string): string[] {
  const lines = npmOutput
    .split('\n')
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((line) => /^(Missing|Invalid):/.test(line));
  return [...new Set(lines)];
}
