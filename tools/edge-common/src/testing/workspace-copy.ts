import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * Copies the workspace's own files (tracked, or new and not ignored) into a throwaway git
 * repository with one commit, sharing node_modules by a symlink, so tests can make history.
 */
export function copyWorkspaceToThrowawayRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'edgeship-ws-'));
  const files = git(WORKSPACE_ROOT, ['ls-files', '--cached', '--others', '--exclude-standard', '-z'])
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    try {
      cpSync(join(WORKSPACE_ROOT, file), join(root, file));
    } catch {
      // A file listed by git but deleted in the working tree is simply not part of the copy.
    }
  }
  symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(root, 'node_modules'));
  git(root, ['init', '-q', '-b', 'main']);
  commitAll(root, 'initial');
  return root;
}

export function commitAll(root: string, message: string): void {
  git(root, ['add', '-A']);
  git(root, [
    '-c',
    'user.name=edgeship-test',
    '-c',
    'user.email=test@edgeship.invalid',
    'commit',
    '-q',
    '--no-verify',
    '-m',
    message,
  ]);
}

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}
