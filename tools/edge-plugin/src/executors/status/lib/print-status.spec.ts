import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeAge, describeRelease } from './print-status';

describe('print-status', () => {
  it('describeRelease: the version, then the part of the id that tells two builds apart', () => {
    assert.equal(
      describeRelease({ version: '1.2.0', release: '1.2.0-abcdef123456' }),
      '1.2.0 (abcdef123456)',
    );
    assert.equal(describeRelease({ version: '', release: 'odd-id' }), 'odd-id');
    assert.equal(describeRelease({ version: '1.2.0', release: '' }), '');
  });

  it('describeAge: seconds, minutes, hours, days', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    assert.equal(describeAge('2026-12-02T11:59:30Z', now), '30 s ago');
    assert.equal(describeAge('2026-12-02T11:48:00Z', now), '12 min ago');
    assert.equal(describeAge('2026-12-02T09:00:00Z', now), '3 h ago');
    assert.equal(describeAge('2026-11-29T12:00:00Z', now), '3 d ago');
    assert.equal(describeAge('not a time', now), 'not a time');
  });
});
