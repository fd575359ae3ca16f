import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createFixtureWorkspace } from '@edgeship/edge-common/testing';

// Registered when a spec file first imports this module, so it runs once that file's tests end:
// a single executable is ~100 MB, and leaking a few per run fills /tmp.
const created: string[] = [];
after(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** createFixtureWorkspace, removed when the spec file ends. */
export function createTempWorkspace(files: Record<string, string | object>): string {
  const root = createFixtureWorkspace(files);
  created.push(root);
  return root;
}

/** An empty temp folder, removed when the spec file ends. */
export function createTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
