import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { npmInstall } from '@edgeship/edge-common/testing';
import {
  describeNativeAddons,
  findNativeAddons,
  listProductionPackages,
  resolvePackageDir,
} from './native-addons';
import { createTempWorkspace } from '../test/temp-folders';

/** svc → pure → gyp-addon; svc → @ws/lib (workspace symlink) → prebuilt; dev-only is not production. */
function createTree(): string {
  const root = createTempWorkspace({
    'package.json': { name: 'ws', private: true, devDependencies: { 'dev-only': '1.0.0' } },
    'packages/svc/package.json': { name: 'svc', dependencies: { pure: '1.0.0', '@ws/lib': '*' } },
    'packages/lib/package.json': { name: '@ws/lib', dependencies: { prebuilt: '2.0.0' } },
    'node_modules/pure/package.json': {
      name: 'pure',
      version: '1.0.0',
      dependencies: { 'gyp-addon': '3.0.0' },
    },
    'node_modules/pure/node_modules/gyp-addon/package.json': { name: 'gyp-addon', version: '3.0.0' },
    'node_modules/pure/node_modules/gyp-addon/binding.gyp': '{"targets": []}',
    'node_modules/prebuilt/package.json': { name: 'prebuilt', version: '2.0.0' },
    'node_modules/prebuilt/build/Release/prebuilt.node': 'ELF',
    'node_modules/dev-only/package.json': { name: 'dev-only', version: '1.0.0' },
    'node_modules/dev-only/binding.gyp': '{}',
  });
  mkdirSync(join(root, 'node_modules/@ws'));
  symlinkSync(join(root, 'packages/lib'), join(root, 'node_modules/@ws/lib'));
  return root;
}

describe('listProductionPackages', () => {
  it('follows dependencies transitively, through workspace symlinks, skipping devDependencies', () => {
    const root = createTree();
    const names = listProductionPackages(join(root, 'packages/svc'), root).map((node) =>
      node.via.join(' → '),
    );
    assert.deepEqual(names.sort(), ['@ws/lib', '@ws/lib → prebuilt', 'pure', 'pure → gyp-addon']);
  });

  it('resolves like Node.js: nearest node_modules first', () => {
    const root = createTree();
    assert.equal(
      resolvePackageDir('gyp-addon', join(root, 'node_modules/pure'), root),
      join(root, 'node_modules/pure/node_modules/gyp-addon'),
    );
    assert.equal(resolvePackageDir('gyp-addon', join(root, 'packages/svc'), root), undefined);
  });
});

describe('findNativeAddons', () => {
  it('finds binding.gyp and shipped .node files', () => {
    const root = createTree();
    const addons = findNativeAddons(join(root, 'packages/svc'), root);
    assert.deepEqual(addons.map((addon) => [addon.name, addon.evidence]).sort(), [
      ['gyp-addon', ['binding.gyp']],
      ['prebuilt', ['build/Release/prebuilt.node']],
    ]);
  });

  it('finds a real native package from the registry (bufferutil) and names the way out', () => {
    const root = createTempWorkspace({
      'package.json': { name: 'ws', private: true, workspaces: ['packages/*'] },
      'packages/svc/package.json': { name: 'svc', version: '1.0.0', dependencies: { bufferutil: '4.1.0' } },
    });
    npmInstall(root);
    const [addon, ...others] = findNativeAddons(join(root, 'packages/svc'), root);
    assert.equal(others.length, 0, 'node-gyp-build, its dependency, is plain JavaScript');
    assert.equal(addon?.name, 'bufferutil');
    assert.ok(addon.evidence.includes('binding.gyp'));
    assert.ok(
      addon.evidence.some((file) => file.endsWith('.node')),
      'ships prebuilt .node files',
    );
    const message = describeNativeAddons('svc', [addon]);
    assert.match(message, /bufferutil@4\.1\.0 \(binding\.gyp, .*\), via svc → bufferutil/);
    assert.match(message, /"delivery": "container"/);
    assert.match(message, /SEA asset and load it with process\.dlopen/);
  });
});
