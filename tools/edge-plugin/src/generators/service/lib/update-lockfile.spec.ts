import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createFixtureWorkspace, writeFixtureFile } from '@edgeship/edge-common/testing';
import { listManifests, updateLockfile } from './update-lockfile';

// Real npm on a workspace with no registry dependencies: nothing is downloaded.
describe('updateLockfile', () => {
  const root = createFixtureWorkspace({
    'package.json': { name: 'ws', private: true, workspaces: ['packages/*', 'tools/*'] },
    'packages/lib/package.json': { name: '@ws/lib', version: '0.1.0' },
    'tools/README.md': 'not a package folder\n',
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists the manifests npm needs, workspace by workspace', () => {
    writeFixtureFile(root, 'packages/svc/package.json', {
      name: 'svc',
      version: '0.1.0',
      dependencies: { '@ws/lib': '0.1.0' },
    });
    assert.deepEqual(listManifests(root).sort(), [
      'package.json',
      'packages/lib/package.json',
      'packages/svc/package.json',
    ]);
  });

  it('lockfile-only adds the new package to package-lock.json and creates no node_modules', async () => {
    await updateLockfile(root, 'lockfile-only');
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    assert.deepEqual(lock.packages['node_modules/svc'], { resolved: 'packages/svc', link: true });
    assert.ok(lock.packages['packages/svc']);
    assert.equal(existsSync(join(root, 'node_modules')), false);
  });
});
