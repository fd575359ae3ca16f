import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const created: string[] = [];

/** Writes files (path → text, or an object serialised as JSON) into a fresh temporary folder. */
export function createFixtureWorkspace(files: Record<string, string | object>): string {
  const root = mkdtempSync(join(tmpdir(), 'edgeship-fixture-'));
  created.push(root);
  for (const [path, content] of Object.entries(files)) writeFixtureFile(root, path, content);
  return root;
}

/** Deletes every folder createFixtureWorkspace made in this process (call from an `after` hook). */
export function removeFixtureWorkspaces(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

export function writeFixtureFile(root: string, path: string, content: string | object): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(
    join(root, path),
    typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n',
  );
}

export function readFixtureJson<T = Record<string, unknown>>(root: string, path: string): T {
  return JSON.parse(readFileSync(join(root, path), 'utf8')) as T;
}

/** A real `npm install` from the registry (npm's cache makes repeats fast); writes package-lock.json. */
export function npmInstall(root: string): void {
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'pipe',
  });
}
