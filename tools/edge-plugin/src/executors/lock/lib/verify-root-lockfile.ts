import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, ToolError, runCommand } from '@edgeship/edge-common';
import { findEntriesWithoutIntegrity, type Lockfile } from './lockfile';
import { parseNpmDrift } from './parse-npm-drift';

const LOCKFILE = 'package-lock.json';
const FIX_DRIFT = 'Run `npm install` at the workspace root and commit package-lock.json.';

export function readRootLockfile(workspaceRoot: string): Lockfile {
  try {
    return JSON.parse(readFileSync(join(workspaceRoot, LOCKFILE), 'utf8')) as Lockfile;
  } catch (error) {
    throw new ConfigError(
      LOCKFILE,
      '(file)',
      undefined,
      `Could not read it (${(error as Error).message}). ${FIX_DRIFT}`,
    );
  }
}

/** (a) The lockfile matches every package.json, judged by npm ci itself (dry run: installs nothing). */
export async function verifyLockfileInSync(workspaceRoot: string): Promise<void> {
  const result = await runCommand('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: workspaceRoot,
    check: false,
  });
  if (result.exitCode === 0) return;
  const drift = parseNpmDrift(result.stderr + '\n' + result.stdout);
  if (drift.length === 0)
    throw new ToolError('npm ci --dry-run failed', 'npm ci --dry-run', result.exitCode, result.stderr);
  throw new ConfigError(
    LOCKFILE,
    'packages',
    drift.join('; '),
    `The lockfile drifted from the package.json files. ${FIX_DRIFT}`,
  );
}

/** (b) Every entry has an integrity hash, and all resolve over HTTPS from the npm registry only. */
export async function verifyLockfileSources(workspaceRoot: string, lockfile: Lockfile): Promise<void> {
  const withoutIntegrity = findEntriesWithoutIntegrity(lockfile);
  if (withoutIntegrity.length > 0) {
    throw new ConfigError(
      LOCKFILE,
      `packages["${withoutIntegrity[0]}"].integrity`,
      undefined,
      `${withoutIntegrity.length} entr${withoutIntegrity.length === 1 ? 'y lacks' : 'ies lack'} an integrity hash (${withoutIntegrity.join(', ')}). Delete package-lock.json and node_modules, run \`npm install\`, and commit the new lockfile.`,
    );
  }
  const lint = require.resolve('lockfile-lint/bin/lockfile-lint.js', { paths: [workspaceRoot, __dirname] });
  const result = await runCommand(process.execPath, [lint, ...lockfileLintArgs(LOCKFILE)], {
    cwd: workspaceRoot,
    check: false,
  });
  if (result.exitCode !== 0) {
    throw new ConfigError(
      LOCKFILE,
      'packages[*].resolved',
      'a source other than the npm registry over HTTPS with a sha512 hash',
      `lockfile-lint said:\n${(result.stdout + result.stderr).trim()}\nReinstall those dependencies from the npm registry (\`npm install <pkg>@<version>\`) and commit the lockfile.`,
    );
  }
}

export function lockfileLintArgs(lockfilePath: string): string[] {
  return [
    '--path',
    lockfilePath,
    '--type',
    'npm',
    '--allowed-hosts',
    'npm',
    '--validate-https',
    '--validate-integrity',
    '--validate-package-names',
    '--empty-hostname',
    'false',
    '--format',
    'plain',
  ];
}
