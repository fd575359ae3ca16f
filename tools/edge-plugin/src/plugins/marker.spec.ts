import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { readEdgeshipMarker } from './marker';

const FILE = 'packages/svc/package.json';

describe('readEdgeshipMarker', () => {
  it('ignores packages without the marker', () => {
    assert.equal(readEdgeshipMarker({ name: 'x' }, FILE), undefined);
  });

  it('reads a service with its defaults', () => {
    assert.deepEqual(
      readEdgeshipMarker({ name: 'svc', version: '1.0.0', edgeship: { kind: 'service', port: 8101 } }, FILE),
      {
        kind: 'service',
        name: 'svc',
        version: '1.0.0',
        port: 8101,
        delivery: 'binary',
      },
    );
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a missing version', { name: 'svc', edgeship: { kind: 'service', port: 8101 } }, /version is missing/],
    [
      'a version with a newline (a second line in release.env)',
      { name: 'svc', version: '1.0.0\nX=1', edgeship: { kind: 'service', port: 8101 } },
      /version is "1\.0\.0\\nX=1"\. Use a semver version/,
    ],
    [
      'a version with a trailing path (it names release directories)',
      { name: 'svc', version: '1.0.0/../../x', edgeship: { kind: 'service', port: 8101 } },
      /version is "1\.0\.0\/\.\.\/\.\.\/x"\. Use a semver version/,
    ],
    ['a missing name', { version: '1.0.0', edgeship: { kind: 'service', port: 8101 } }, /name is missing/],
    [
      'a privileged port',
      { name: 'svc', version: '1.0.0', edgeship: { kind: 'service', port: 80 } },
      /edgeship.port is 80/,
    ],
    [
      'an unknown delivery',
      { name: 'svc', version: '1.0.0', edgeship: { kind: 'service', port: 8101, delivery: 'ftp' } },
      /edgeship.delivery is "ftp"/,
    ],
    [
      'an unknown kind',
      { name: 'svc', version: '1.0.0', edgeship: { kind: 'daemon' } },
      /edgeship.kind is "daemon"/,
    ],
  ];
  for (const [label, manifest, message] of bad) {
    it(`rejects ${label}, naming the file and field`, () => {
      assert.throws(
        () => readEdgeshipMarker(manifest, FILE),
        (error: Error) =>
          error instanceof ConfigError && error.message.startsWith(FILE) && message.test(error.message),
      );
    });
  }
});
