import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentBuffer } from './recent-buffer';

test('keeps only the newest items, returned oldest first', () => {
  const buffer = new RecentBuffer<number>(3);
  buffer.push(1, 2);
  assert.deepEqual(buffer.readLast(10), [1, 2]);
  buffer.push(3, 4, 5);
  assert.deepEqual(buffer.readLast(10), [3, 4, 5]);
  assert.deepEqual(buffer.readLast(2), [4, 5]);
  assert.deepEqual(buffer.readLast(0), []);
  assert.equal(buffer.size, 3);
});

test('refuses a capacity below 1', () => {
  assert.throws(() => new RecentBuffer(0), /capacity must be >= 1/);
});
