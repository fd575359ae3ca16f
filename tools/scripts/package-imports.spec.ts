import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

/*
 * Packages import each other by package name (@edgeship/edge-common, @edgeship/edge-plugin/...), never by a
 * relative path into another package's folder: such a path skips the package's exports and hides the
 * dependency from Nx's project graph (and so from `nx affected`).
 */
const ROOT = join(__dirname, '..', '..');
const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm;

/** tools/<name> or packages/<name>: the workspace package a path lies in, if any. */
function packageOf(path: string): string | undefined {
  return /^((?:tools|packages)\/[^/]+)\//.exec(path)?.[1];
}

export function crossPackageImports(file: string, source: string): string[] {
  const from = packageOf(file);
  const found: string[] = [];
  for (const [, specifier] of source.matchAll(IMPORT)) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), specifier!));
    const to = packageOf(`${target}/`);
    // tools/scripts is not a package: its entry points may be reached relatively from inside it only.
    if (to !== undefined && to !== from) found.push(`${file}: '${specifier}' reaches into ${to}`);
  }
  return found;
}

describe('imports between workspace packages', () => {
  it('finds a relative import into another package, and lets one inside a package be', () => {
    assert.deepEqual(
      crossPackageImports('tools/edge-fleet/src/a.ts', "import { x } from '../../edge-plugin/src/lib/b';\n"),
      ["tools/edge-fleet/src/a.ts: '../../edge-plugin/src/lib/b' reaches into tools/edge-plugin"],
    );
    assert.deepEqual(crossPackageImports('tools/edge-fleet/src/a.ts', "import { x } from './b';\n"), []);
  });

  it('has none in the tree: packages import each other by package name', () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.mts'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((file) => /^(tools|packages|pipelines|playbooks|bench)\//.test(file));
    assert.ok(files.length > 100, `only ${files.length} TypeScript files found`);
    const found = files.flatMap((file) => crossPackageImports(file, readFileSync(join(ROOT, file), 'utf8')));
    assert.deepEqual(found, []);
  });
});
