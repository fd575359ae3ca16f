import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { WORKSPACE_ROOT } from '@edgeship/edge-common/testing';
import { bundlePathOf, ensurePluginBundle, findStaleReason, readBundleRecord } from './plugin-bundle.js';

// A small plugin package in a throwaway workspace (tools/p: index.ts importing src/value.ts), built
// with the workspace's esbuild through a node_modules symlink.
describe('plugin bundle', () => {
  let root: string;
  let pluginDir: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const load = (): { value: string } => {
    const path = ensurePluginBundle(pluginDir).bundlePath;
    delete require.cache[path];
    return require(path) as { value: string };
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'edgeship-plugin-bundle-'));
    pluginDir = join(root, 'tools', 'p');
    write('tsconfig.base.json', '{ "compilerOptions": { "strict": true } }\n');
    write('tools/p/tsconfig.json', '{ "extends": "../../tsconfig.base.json" }\n');
    write('tools/p/index.ts', "export { value } from './src/value';\n");
    write('tools/p/src/value.ts', "export const value: string = 'one';\n");
    write('tools/p/src/unused.ts', "export const unused = 'not imported';\n");
    symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(root, 'node_modules'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds a missing bundle and records the content of every file it was built from', () => {
    assert.equal(findStaleReason(pluginDir), 'no bundle yet');
    assert.equal(ensurePluginBundle(pluginDir).rebuilt, 'no bundle yet');
    assert.equal(load().value, 'one');
    const record = readBundleRecord(bundlePathOf(pluginDir))!;
    assert.deepEqual(
      Object.keys(record.inputs).sort(),
      [
        '../../tsconfig.base.json',
        'index.ts',
        // the builder itself: changing the esbuild options rebuilds too
        relative(pluginDir, join(__dirname, 'plugin-bundle.js')),
        'src/value.ts',
        'tsconfig.json',
      ].sort(),
    );
    assert.equal(findStaleReason(pluginDir), undefined);
    assert.equal(ensurePluginBundle(pluginDir).rebuilt, undefined);
  });

  it('bundles a workspace package it depends on (TypeScript, which nx cannot require) and records its sources', () => {
    write(
      'tools/lib/package.json',
      JSON.stringify({ name: '@edgeship/lib', exports: { '.': './src/index.ts' } }),
    );
    write('tools/lib/src/index.ts', "export const shared: string = 'from lib';\n");
    write('tools/p/package.json', JSON.stringify({ name: 'p', dependencies: { '@edgeship/lib': '0.1.0' } }));
    write('tools/p/src/value.ts', "export { shared as value } from '@edgeship/lib';\n");
    mkdirSync(join(pluginDir, 'node_modules', '@edgeship'), { recursive: true });
    symlinkSync(join(root, 'tools', 'lib'), join(pluginDir, 'node_modules', '@edgeship', 'lib'));
    assert.equal(load().value, 'from lib');
    const record = readBundleRecord(bundlePathOf(pluginDir))!;
    assert.ok('../lib/src/index.ts' in record.inputs, Object.keys(record.inputs).join(', '));
    assert.ok('package.json' in record.inputs);
    write('tools/lib/src/index.ts', "export const shared: string = 'changed';\n");
    assert.equal(findStaleReason(pluginDir), '../lib/src/index.ts changed since the bundle was built');
  });

  it('rebuilds when a source it was built from changes, and only then', () => {
    load();
    write('tools/p/src/unused.ts', "export const unused = 'changed, still not imported';\n");
    assert.equal(findStaleReason(pluginDir), undefined);
    write('tools/p/src/value.ts', "export const value: string = 'two';\n");
    assert.equal(findStaleReason(pluginDir), 'src/value.ts changed since the bundle was built');
    assert.equal(load().value, 'two');
    write('tools/p/tsconfig.json', '{ "extends": "../../tsconfig.base.json", "compilerOptions": {} }\n');
    assert.equal(findStaleReason(pluginDir), 'tsconfig.json changed since the bundle was built');
  });

  it('treats a bundle without its build record as stale', () => {
    load();
    const path = bundlePathOf(pluginDir);
    writeFileSync(path, readFileSync(path, 'utf8').split('\n').slice(1).join('\n'));
    assert.equal(findStaleReason(pluginDir), 'no bundle yet');
  });

  it('refuses a stale bundle it cannot rebuild instead of serving the old one', () => {
    load();
    const before = readFileSync(bundlePathOf(pluginDir), 'utf8');
    write('tools/p/src/value.ts', "export const value: string = 'three'\nexport const = ;\n");
    assert.throws(
      () => ensurePluginBundle(pluginDir),
      (error: Error) =>
        /dist\/plugin\.js is stale \(src\/value\.ts changed since the bundle was built\) and could not be rebuilt, so Nx does not load it/.test(
          error.message,
        ) && /Fix the plugin sources under/.test(error.message),
    );
    // The old bundle is left as it was, and still reads as stale: the next call tries again.
    assert.equal(readFileSync(bundlePathOf(pluginDir), 'utf8'), before);
    assert.equal(findStaleReason(pluginDir), 'src/value.ts changed since the bundle was built');
  });

  it('refuses to build without esbuild, naming the fix', () => {
    rmSync(join(root, 'node_modules'));
    assert.throws(
      () => ensurePluginBundle(pluginDir),
      /esbuild is not installed .*Install the workspace first: npm ci/s,
    );
  });
});
