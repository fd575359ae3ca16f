// The README's test command: every *.spec.ts of the workspace in one node:test run, so CI
// reads one summary line. Unit specs run first; integration specs (docker, fleet, Ansible) after.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  findSpecFiles,
  nodeTestArgs,
  WORKSPACE_SPEC_FOLDERS,
} from '@edgeship/edge-plugin/executors/test/lib/find-spec-files';

const workspaceRoot = join(__dirname, '..', '..');
const filter = process.argv[2];
// The same folders plugin.spec compares the projects' test targets against: one list, one spec set.
const files = WORKSPACE_SPEC_FOLDERS.flatMap((folder) =>
  findSpecFiles(join(workspaceRoot, folder), filter),
).sort((a, b) => Number(isIntegration(a)) - Number(isIntegration(b)) || a.localeCompare(b));

function isIntegration(file: string): boolean {
  return file.includes('/test/');
}

if (files.length === 0) {
  console.error(`✖ no *.spec.ts files${filter ? ` matching "${filter}"` : ''}`);
  process.exit(1);
}
// NO_COLOR: with CI set, Nx, Prettier and friends colour their output even into a pipe, and tests
// read that output.
const result = spawnSync(process.execPath, ['--test-concurrency=1', ...nodeTestArgs(files)], {
  cwd: workspaceRoot,
  stdio: 'inherit',
  env: { ...process.env, NO_COLOR: '1' },
});
process.exit(result.status ?? 1);
