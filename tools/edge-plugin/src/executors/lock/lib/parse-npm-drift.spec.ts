import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseNpmDrift } from './parse-npm-drift';

describe('parseNpmDrift', () => {
  it('keeps each Missing/Invalid line once', () => {
    const output = [
      'npm error code EUSAGE',
      'npm error `npm ci` can only install packages when your package.json and package-lock.json are in sync.',
      "npm error Invalid: lock file's is-number@7.0.0 does not satisfy is-number@6.0.0",
      'npm error Missing: is-odd@3.0.1 from lock file',
      'npm error Missing: is-odd@3.0.1 from lock file',
    ].join('\n');
    assert.deepEqual(parseNpmDrift(output), [
      "Invalid: lock file's is-number@7.0.0 does not satisfy is-number@6.0.0",
      'Missing: is-odd@3.0.1 from lock file',
    ]);
  });
});
