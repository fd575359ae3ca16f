import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveVersionInfo } from './version-info';

test('reports name, version, the revision from EDGESHIP_REVISION, arch and node version', () => {
  assert.deepEqual(resolveVersionInfo('svc', '1.2.3', { EDGESHIP_REVISION: 'abc1234' }), {
    name: 'svc',
    version: '1.2.3',
    revision: 'abc1234',
    arch: process.arch,
    node: process.version,
  });
});

test("revision is 'unknown' when neither the environment nor the bundle provide one", () => {
  assert.equal(resolveVersionInfo('svc', '1.2.3', { EDGESHIP_REVISION: '  ' }).revision, 'unknown');
});
