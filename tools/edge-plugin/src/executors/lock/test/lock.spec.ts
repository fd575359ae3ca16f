import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  executorContext,
  captureOutput,
  createFixtureWorkspace,
  npmInstall,
  readFixtureJson,
  writeFixtureFile,
  removeFixtureWorkspaces,
} from '@edgeship/edge-common/testing';
import type { Lockfile } from '../lib/lockfile';
import lockExecutor from '../lock.impl';

// A real two-package workspace installed from the registry: a service that depends on a
// workspace library, which depends on a registry package.
function createLockWorkspace(): string {
  const root = createFixtureWorkspace({
    'package.json': {
      name: 'ws',
      private: true,
      workspaces: ['packages/*'],
      devDependencies: { 'is-odd': '3.0.1' },
    },
    'packages/kit/package.json': {
      name: '@fx/kit',
      version: '0.1.0',
      dependencies: { 'is-number': '7.0.0' },
    },
    'packages/svc/package.json': {
      name: 'svc',
      version: '1.0.0',
      dependencies: { '@fx/kit': '0.1.0', ms: '2.1.3' },
      edgeship: { kind: 'service', port: 8101 },
    },
  });
  npmInstall(root);
  return root;
}

const runLock = (root: string) =>
  captureOutput(() => lockExecutor({}, executorContext(root, 'svc', 'packages/svc')));

describe('lock executor (real npm)', () => {
  after(removeFixtureWorkspaces);
  let pristine: string;
  before(() => {
    pristine = createLockWorkspace();
  });

  it('writes a pruned lockfile with only the runtime closure and proves it installs', async () => {
    const { result } = await runLock(pristine);
    assert.equal(result.success, true);
    const lock = readFixtureJson<Lockfile>(pristine, 'dist/svc/lock/package-lock.json');
    assert.deepEqual(Object.keys(lock.packages), ['', 'node_modules/is-number', 'node_modules/ms']);
    assert.deepEqual(readFixtureJson(pristine, 'dist/svc/lock/package.json')['dependencies'], {
      'is-number': '7.0.0',
      ms: '2.1.3',
    });
  });

  it('fails on a lockfile that drifted from a package.json, listing the drift', async () => {
    const root = createLockWorkspace();
    writeFixtureFile(root, 'packages/svc/package.json', {
      ...readFixtureJson<Record<string, unknown>>(root, 'packages/svc/package.json'),
      dependencies: { '@fx/kit': '0.1.0', ms: '2.1.2' },
    });
    const { result, output } = await runLock(root);
    assert.equal(result.success, false);
    assert.match(output, /package-lock\.json: packages .*ms@2\.1\.2/);
    assert.match(output, /Run `npm install`/);
    assert.equal(existsSync(join(root, 'dist/svc/lock')), false);
  });

  it('fails on a tampered integrity hash of a service dependency', async () => {
    const root = createLockWorkspace();
    const lock = readFixtureJson<Lockfile>(root, 'package-lock.json');
    // A well-formed sha512 of other content: only a real install can tell.
    lock.packages['node_modules/ms']!.integrity = lock.packages['node_modules/is-number']!.integrity;
    writeFixtureFile(root, 'package-lock.json', lock);
    const { result, output } = await runLock(root);
    assert.equal(result.success, false);
    assert.match(output, /pruned lockfile of svc does not install/);
    assert.match(output, /EINTEGRITY|integrity/);
  });

  it('fails on an entry without an integrity hash, naming it', async () => {
    const root = createLockWorkspace();
    const lock = readFixtureJson<Lockfile>(root, 'package-lock.json');
    delete lock.packages['node_modules/ms']!.integrity;
    writeFixtureFile(root, 'package-lock.json', lock);
    const { result, output } = await runLock(root);
    assert.equal(result.success, false);
    assert.match(output, /packages\["node_modules\/ms"\]\.integrity is missing/);
  });

  it('fails on a dependency resolved from outside the npm registry', async () => {
    const root = createLockWorkspace();
    const lock = readFixtureJson<Lockfile>(root, 'package-lock.json');
    lock.packages['node_modules/ms']!.resolved = 'https://example.com/ms/-/ms-2.1.3.tgz';
    writeFixtureFile(root, 'package-lock.json', lock);
    const { result, output } = await runLock(root);
    assert.equal(result.success, false);
    assert.match(output, /invalid host/);
    assert.match(output, /example\.com/);
  });
});
