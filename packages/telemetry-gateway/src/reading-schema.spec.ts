import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_BATCH_SIZE, parseReadings } from './reading-schema';

const reading = {
  sensorId: 'greenhouse-1',
  ts: '2025-06-01T12:00:00Z',
  metric: 'temperature',
  value: 21.5,
  unit: 'C',
};

test('accepts one reading or an array of readings', () => {
  assert.deepEqual(parseReadings(reading), { isValid: true, readings: [reading] });
  const second = { ...reading, ts: '2025-06-01T12:00:05+02:00', value: -3 };
  assert.deepEqual(parseReadings([reading, second]), { isValid: true, readings: [reading, second] });
});

test('issues name the element and field that failed', () => {
  const result = parseReadings([reading, { ...reading, value: 'hot', ts: 'yesterday' }]);
  assert.equal(result.isValid, false);
  assert.deepEqual(!result.isValid && result.issues.map((issue) => [issue.path, issue.code]), [
    ['[1].ts', 'invalid_format'],
    ['[1].value', 'invalid_type'],
  ]);
});

test('refuses missing fields, unknown fields, bad identifiers and non-objects', () => {
  const missing = parseReadings({ sensorId: 's1', ts: reading.ts, value: 1 });
  assert.deepEqual(!missing.isValid && missing.issues.map((i) => i.path), ['metric']);
  const unknown = parseReadings({ ...reading, colour: 'red' });
  assert.deepEqual(!unknown.isValid && unknown.issues.map((i) => i.code), ['unrecognized_keys']);
  const badId = parseReadings({ ...reading, sensorId: 'a b' });
  assert.match((!badId.isValid && badId.issues[0]?.message) || '', /letters, digits/);
  assert.equal(parseReadings('21.5').isValid, false);
  assert.equal(parseReadings(null).isValid, false);
});

test('refuses empty and oversized batches', () => {
  assert.equal(parseReadings([]).isValid, false);
  assert.equal(parseReadings(Array(MAX_BATCH_SIZE + 1).fill(reading)).isValid, false);
  assert.equal(parseReadings(Array(MAX_BATCH_SIZE).fill(reading)).isValid, true);
});
