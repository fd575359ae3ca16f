import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCi } from './is-ci';

describe('isCi', () => {
  it('reads CI the way CI systems set it', () => {
    assert.equal(isCi({ CI: 'true' }), true);
    assert.equal(isCi({ CI: '1' }), true);
    assert.equal(isCi({ CI: 'false' }), false);
    assert.equal(isCi({ CI: '' }), false);
    assert.equal(isCi({}), false);
  });
});
