import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { findEntriesWithoutIntegrity, type Lockfile } from './lockfile';

describe('findEntriesWithoutIntegrity', () => {
  it('names registry entries missing integrity, and ignores links and the root', () => {
    const lockfile: Lockfile = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'root' },
        'packages/a': { name: 'a' },
        'node_modules/a': { resolved: 'packages/a', link: true },
        'node_modules/ok': { version: '1.0.0', resolved: 'https://r/ok.tgz', integrity: 'sha512-x' },
        'node_modules/no-hash': { version: '1.0.0', resolved: 'https://r/no-hash.tgz' },
        'node_modules/ok/node_modules/no-url': { version: '1.0.0', integrity: 'sha512-y' },
        'node_modules/ok/node_modules/neither': { version: '1.0.0' },
      },
    };
    assert.deepEqual(findEntriesWithoutIntegrity(lockfile), [
      'node_modules/no-hash',
      'node_modules/ok/node_modules/neither',
    ]);
  });
});
