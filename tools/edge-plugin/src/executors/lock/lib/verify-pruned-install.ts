import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError, runCommand } from '@edgeship/edge-common';
import type { PrunedManifests } from './prune-lockfile';

/**
 * (c) Proves a pruned lockfile by a clean `npm ci` in a scratch folder outside the workspace,
 * so npm cannot find, and silently fall back to, the root lockfile.
 */
export async function verifyPrunedInstall(pruned: PrunedManifests, serviceName: string): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), `edgeship-lock-${serviceName}-`));
  try {
    const lockText = JSON.stringify(pruned.lockfile, null, 2) + '\n';
    writeFileSync(join(scratch, 'package.json'), JSON.stringify(pruned.packageJson, null, 2) + '\n');
    writeFileSync(join(scratch, 'package-lock.json'), lockText);
    const result = await runCommand(
      'npm',
      ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--workspaces=false', '--prefer-offline'],
      { cwd: scratch, check: false, timeoutMs: 300_000 },
    );
    if (result.exitCode !== 0) {
      throw new ToolError(
        `the pruned lockfile of ${serviceName} does not install with npm ci`,
        `npm ci (in ${scratch})`,
        result.exitCode,
        result.stderr,
      );
    }
    if (readFileSync(join(scratch, 'package-lock.json'), 'utf8') !== lockText) {
      throw new ToolError(`npm ci rewrote the pruned lockfile of ${serviceName}`, 'npm ci', 0, '');
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
