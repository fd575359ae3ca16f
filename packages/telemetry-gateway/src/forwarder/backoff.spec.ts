import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeBackoffMs, parseRetryAfterMs, resolveRetryDelayMs } from './backoff';

const options = { baseMs: 100, maxMs: 5000 };

test('doubles from the base, caps at the maximum, and jitters within the upper half', () => {
  const lowest = (failures: number) => computeBackoffMs(failures, options, () => 0);
  const highest = (failures: number) => computeBackoffMs(failures, options, () => 1);
  assert.deepEqual([1, 2, 3, 4].map(lowest), [50, 100, 200, 400]);
  assert.deepEqual([1, 2, 3, 4].map(highest), [100, 200, 400, 800]);
  assert.equal(highest(7), 5000);
  assert.equal(highest(10_000), 5000, 'no overflow after a long outage');
  assert.equal(lowest(10_000), 2500);
  assert.equal(
    computeBackoffMs(3, options, () => 0.5),
    300,
  );
});

test('Retry-After in seconds or as a date, bounded by the maximum', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfterMs('3', now), 3000);
  assert.equal(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:02 GMT', now), 2000);
  assert.equal(parseRetryAfterMs('soon', now), undefined);
  assert.equal(parseRetryAfterMs(null, now), undefined);
  assert.equal(
    resolveRetryDelayMs(1, options, 3000, () => 0),
    3000,
  );
  assert.equal(
    resolveRetryDelayMs(1, options, 86_400_000, () => 0),
    5000,
  );
  assert.equal(
    resolveRetryDelayMs(4, options, 10, () => 0),
    400,
  );
});
