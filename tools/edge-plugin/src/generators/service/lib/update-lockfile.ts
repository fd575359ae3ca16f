import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCommand } from '@edgeship/edge-common';

export type InstallMode = 'full' | 'lockfile-only';

/**
 * Brings package-lock.json up to date after a new workspace package appeared.
 * full: `npm install` in the workspace (node_modules gains the new package's link).
 * lockfile-only: npm runs on a scratch copy of the manifests, because even --package-lock-only
 * rewrites node_modules/.package-lock.json, and node_modules may belong to another checkout.
 */
export async function updateLockfile(workspaceRoot: string, mode: InstallMode): Promise<void> {
  if (mode === 'full') {
    await runCommand('npm', ['install', '--no-audit', '--no-fund'], { cwd: workspaceRoot, stream: true });
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'edgeship-lockfile-'));
  try {
    for (const file of listManifests(workspaceRoot)) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      copyFileSync(join(workspaceRoot, file), join(scratch, file));
    }
    await runCommand(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'],
      {
        cwd: scratch,
      },
    );
    copyFileSync(join(scratch, 'package-lock.json'), join(workspaceRoot, 'package-lock.json'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What npm needs to compute the lockfile: root manifest, lockfile, .npmrc, every workspace's package.json. */
export function listManifests(workspaceRoot: string): string[] {
  const root = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
    workspaces?: unknown;
  };
  const patterns = Array.isArray(root.workspaces) ? (root.workspaces as string[]) : [];
  const files = ['package.json', 'package-lock.json', '.npmrc'].filter((f) =>
    existsSync(join(workspaceRoot, f)),
  );
  for (const pattern of patterns) {
    // The workspace's globs are "folder/*"; a literal path names one package.
    const folders = pattern.endsWith('/*')
      ? readdirSync(join(workspaceRoot, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern];
    for (const folder of folders) {
      if (existsSync(join(workspaceRoot, folder, 'package.json'))) files.push(`${folder}/package.json`);
    }
  }
  return files;
}
