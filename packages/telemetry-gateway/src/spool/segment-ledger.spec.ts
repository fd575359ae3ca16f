import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SegmentLedger } from './segment-ledger';

function makeLedger(...sizes: Array<[records: number, bytes: number]>): SegmentLedger {
  const ledger = new SegmentLedger();
  sizes.forEach(([records, bytes], index) =>
    ledger.add({ seq: index + 1, path: `s${index + 1}`, bytes, records }),
  );
  return ledger;
}

test('counts what the upstream has not acknowledged, across segments', () => {
  const ledger = makeLedger([10, 100], [10, 100], [3, 30]);
  assert.equal(ledger.readPendingRecords(), 23);
  ledger.advanceTo({ seq: 1, offset: 40, lines: 4 });
  assert.equal(ledger.readPendingRecords(), 19);
  ledger.advanceTo({ seq: 1, offset: 20, lines: 2 }); // behind: ignored
  assert.deepEqual(ledger.position, { seq: 1, offset: 40, lines: 4 });
});

test('a closed segment read to its end is acknowledged whole; the one being written is not', () => {
  const ledger = makeLedger([10, 100], [10, 100], [3, 30]);
  ledger.advanceTo({ seq: 1, offset: 100, lines: 10 });
  assert.equal(ledger.findUnforwardedSegment()?.seq, 2);
  assert.deepEqual(
    ledger.listAcknowledged().map((s) => s.seq),
    [1],
  );
  ledger.advanceTo({ seq: 3, offset: 30, lines: 3 });
  assert.equal(ledger.findUnforwardedSegment(), undefined);
  assert.deepEqual(
    ledger.listAcknowledged().map((s) => s.seq),
    [1, 2],
  );
  assert.deepEqual(ledger.position, { seq: 3, offset: 30, lines: 3 }, 'stays on the active segment');
});

test('forgetting the segment under the position moves it to the start of the next one', () => {
  const ledger = makeLedger([10, 100], [10, 100]);
  ledger.advanceTo({ seq: 1, offset: 50, lines: 5 });
  assert.equal(ledger.countUnforwarded(ledger.segments[0]!), 5);
  ledger.forget(ledger.segments[0]!);
  assert.deepEqual(ledger.position, { seq: 2, offset: 0, lines: 0 });
  assert.deepEqual(ledger.readStats(), { segments: 1, bytes: 100, records: 10 });
});
