import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Lockfile } from './lockfile';
import { PruneError, pruneLockfile, resolveInLockfile } from './prune-lockfile';

const SVC = { name: 'svc', version: '1.2.3' };

const tarball = (name: string, version: string, extra = {}) => ({
  version,
  resolved: `https://registry.example/${name}-${version}.tgz`,
  integrity: `sha512-${name}${version}`,
  ...extra,
});

function workspaceLock(): Lockfile {
  return {
    lockfileVersion: 3,
    packages: {
      '': { name: 'root', devDependencies: { typescript: '5.0.0' } },
      'packages/kit': { name: '@x/kit', version: '0.1.0', dependencies: { ms: '^2.0.0' } },
      'packages/svc': { name: 'svc', version: '1.2.3', dependencies: { '@x/kit': '0.1.0', zod: '^4.0.0' } },
      'node_modules/@x/kit': { resolved: 'packages/kit', link: true },
      'node_modules/svc': { resolved: 'packages/svc', link: true },
      'node_modules/ms': tarball('ms', '2.1.3'),
      'node_modules/zod': tarball('zod', '3.0.0', { dev: true }),
      'packages/svc/node_modules/zod': tarball('zod', '4.1.0', { dependencies: { tiny: '1.0.0' } }),
      'node_modules/tiny': tarball('tiny', '1.0.0'),
      'node_modules/typescript': tarball('typescript', '5.0.0', { dev: true }),
    },
  };
}

describe('pruneLockfile', () => {
  it('keeps only the runtime closure, inlines workspace deps and re-roots the service own copies', () => {
    const { packageJson, lockfile } = pruneLockfile(workspaceLock(), 'packages/svc', SVC);
    assert.deepEqual(packageJson.dependencies, { ms: '^2.0.0', zod: '^4.0.0' });
    assert.deepEqual(Object.keys(lockfile.packages), [
      '',
      'node_modules/ms',
      'node_modules/tiny',
      'node_modules/zod',
    ]);
    assert.equal(lockfile.packages['node_modules/zod']?.version, '4.1.0');
    assert.equal(lockfile.packages['node_modules/zod']?.dev, undefined);
    assert.equal(lockfile.packages['']?.name, 'svc');
  });

  it('fails naming the package when the lockfile lacks a dependency', () => {
    const lock = workspaceLock();
    delete lock.packages['node_modules/tiny'];
    assert.throws(
      () => pruneLockfile(lock, 'packages/svc', SVC),
      (e: Error) => e instanceof PruneError && /"tiny"/.test(e.message),
    );
  });

  it('fails for a service that is not in the lockfile', () => {
    assert.throws(() => pruneLockfile(workspaceLock(), 'packages/missing', SVC), /packages\/missing/);
  });
});

describe('resolveInLockfile', () => {
  it('prefers the nearest node_modules, then walks up', () => {
    const lock = workspaceLock();
    assert.equal(resolveInLockfile(lock, 'packages/svc', 'zod'), 'packages/svc/node_modules/zod');
    assert.equal(resolveInLockfile(lock, 'packages/kit', 'zod'), 'node_modules/zod');
    assert.equal(resolveInLockfile(lock, 'packages/svc/node_modules/zod', 'tiny'), 'node_modules/tiny');
    assert.equal(resolveInLockfile(lock, '', 'nope'), undefined);
  });
});
