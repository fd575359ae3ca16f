import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { checkSemver } from './semver';

describe('checkSemver', () => {
  for (const version of ['1.0.0', '0.1.0', '10.20.30', '1.0.0-rc.1', '1.0.0-v4.1733000000000', '1.0.0-x-y']) {
    it(`accepts ${version}`, () => {
      assert.equal(checkSemver(version, 'f', 'version'), version);
    });
  }

  const refused: [string, unknown][] = [
    ['a newline and a second line', '1.0.0\nX=1'],
    ['a trailing path', '1.0.0/../../x'],
    ['a trailing space', '1.0.0 '],
    ['a "v" prefix', 'v1.0.0'],
    ['build metadata (not a docker tag)', '1.0.0+build.1'],
    ['a leading zero', '01.0.0'],
    ['two parts', '1.0'],
    ['a number', 1],
    ['nothing', undefined],
    ['more than 100 characters', `1.0.0-${'a'.repeat(95)}`],
  ];
  for (const [label, version] of refused) {
    it(`refuses ${label}, naming the file, the field and the fix`, () => {
      assert.throws(
        () => checkSemver(version, 'packages/svc/package.json', 'version'),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.ok(error.message.startsWith('packages/svc/package.json: version '), error.message);
          assert.match(error.message, /Use a semver version: MAJOR\.MINOR\.PATCH/);
          return true;
        },
      );
    });
  }

  it('shows a refused newline escaped, so the message stays on one line', () => {
    assert.throws(() => checkSemver('1.0.0\nX=1', 'f', 'version'), /version is "1\.0\.0\\nX=1"\./);
  });
});
