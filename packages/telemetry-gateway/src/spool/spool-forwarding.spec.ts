import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createLogger, type Logger } from '@edgeship/service-kit';
import { deferCleanup } from '../fixtures/cleanup';
import { createRecordingLogger } from '../fixtures/recording-logger';
import { FORWARD_POSITION_FILE } from './forward-position';
import { Spool } from './spool';
import type { SpoolOptions } from './spool-options';

const quiet = createLogger({ level: 'error' });

function makeDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'spool-forwarding-'));
  deferCleanup(t, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function openSpool(t: TestContext, options: SpoolOptions, log: Logger = quiet): Promise<Spool> {
  const spool = await Spool.open(options, log);
  deferCleanup(t, () => spool.close());
  return spool;
}

/** Reads and acknowledges batches until the spool has nothing left to forward; returns the ids and values. */
async function forwardAll(spool: Spool, batchSize: number): Promise<Array<{ id: string; n: unknown }>> {
  const forwarded: Array<{ id: string; n: unknown }> = [];
  for (
    let batch = await spool.readForwardBatch(batchSize);
    batch;
    batch = await spool.readForwardBatch(batchSize)
  ) {
    forwarded.push(...batch.readings.map((reading) => ({ id: reading.id, n: reading.n })));
    await spool.acknowledge(batch.end);
  }
  return forwarded;
}

test('batches come oldest first with stable ids, and only acknowledged segments are removed', async (t) => {
  const dir = makeDir(t);
  const spool = await openSpool(t, { dir, maxRecords: 40 }); // segments of 10 records
  for (let n = 1; n <= 25; n += 1) await spool.append([{ n }]);
  assert.equal(readdirSync(dir).length, 3);

  const first = await spool.readForwardBatch(4);
  assert.deepEqual(
    first?.readings.map((r) => r.n),
    [1, 2, 3, 4],
  );
  assert.equal(first?.readings[1]?.id, '1:8', 'segment 1, byte offset of the second line');
  const again = await spool.readForwardBatch(4);
  assert.deepEqual(again?.readings, first?.readings, 'unacknowledged readings are read again, same ids');

  await spool.acknowledge(first!.end);
  assert.equal(spool.readForwardingStats().pendingRecords, 21);
  assert.equal(
    readdirSync(dir).filter((name) => name.startsWith('segment-')).length,
    3,
    'segment 1 not done',
  );

  const rest = await forwardAll(spool, 7);
  assert.deepEqual(
    rest.map((r) => r.n),
    Array.from({ length: 21 }, (_, i) => i + 5),
  );
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.startsWith('segment-')),
    ['segment-000000000003.jsonl'],
    'fully acknowledged closed segments are gone; the active one stays',
  );
  assert.equal(spool.readForwardingStats().pendingRecords, 0);
  assert.equal(await spool.readForwardBatch(10), undefined);
});

test('a reopened spool resumes after the last acknowledged reading, never before it', async (t) => {
  const dir = makeDir(t);
  const first = await Spool.open({ dir, maxRecords: 40 }, quiet);
  for (let n = 1; n <= 15; n += 1) await first.append([{ n }]);
  const batch = await first.readForwardBatch(12); // stops at the end of segment 1: readings 1..10
  await first.acknowledge(batch!.end);
  const unacknowledged = await first.readForwardBatch(2); // sent, never acknowledged: must come again
  await first.close();
  assert.deepEqual(JSON.parse(readFileSync(join(dir, FORWARD_POSITION_FILE), 'utf8')), batch!.end);

  const second = await openSpool(t, { dir, maxRecords: 40 });
  const resumed = await forwardAll(second, 100);
  assert.deepEqual(
    resumed.map((r) => r.n),
    [11, 12, 13, 14, 15],
  );
  assert.deepEqual(
    resumed.slice(0, 2),
    unacknowledged!.readings.map((r) => ({ id: r.id, n: r.n })),
  );
  await second.append([{ n: 16 }]);
  assert.deepEqual(
    (await forwardAll(second, 100)).map((r) => r.n),
    [16],
  );
});

test('a full spool drops its oldest segment; readings dropped before forwarding are counted and logged', async (t) => {
  const dir = makeDir(t);
  const { log, events } = createRecordingLogger();
  const spool = await openSpool(t, { dir, maxRecords: 40 }, log);
  for (let n = 1; n <= 45; n += 1) await spool.append([{ n }]); // 5 segments of 10: the first one goes

  assert.deepEqual(spool.readForwardingStats(), {
    pendingRecords: 35,
    droppedRecords: 10,
    droppedSegments: 1,
  });
  const warning = events.find((event) => event.msg.startsWith('spool full'));
  assert.equal(warning?.level, 'warn');
  assert.equal(warning?.fields.records, 10);
  assert.deepEqual(
    (await spool.readForwardBatch(1))?.readings.map((r) => r.n),
    [11],
  );

  // Acknowledged readings that leave the spool are not losses: partly forwarded segments count the rest only.
  const batch = await spool.readForwardBatch(5);
  await spool.acknowledge(batch!.end);
  for (let n = 46; n <= 55; n += 1) await spool.append([{ n }]);
  assert.deepEqual(spool.readForwardingStats(), {
    pendingRecords: 35,
    droppedRecords: 15,
    droppedSegments: 2,
  });
  assert.deepEqual(
    (await spool.readForwardBatch(1))?.readings.map((r) => r.n),
    [21],
  );
});

test('a segment that cannot be removed never rejects readings that were stored', async (t) => {
  const dir = makeDir(t);
  const { log, events } = createRecordingLogger();
  let isRemovable = false;
  const removeFile = async (path: string) => {
    if (!isRemovable)
      throw Object.assign(new Error(`EBUSY: resource busy, unlink '${path}'`), { code: 'EBUSY' });
    await unlink(path);
  };
  const spool = await openSpool(t, { dir, maxRecords: 40, removeFile }, log);
  for (let n = 1; n <= 60; n += 1) await spool.append([{ n }]); // every append past 40 tries to drop and fails
  assert.equal(spool.readStats().records, 60, 'over the bound for now, nothing lost');
  assert.ok(
    events.some((event) => event.level === 'warn' && event.msg.startsWith('could not remove segment')),
  );

  const batch = await spool.readForwardBatch(15); // readings 1..10, all of segment 1
  await spool.acknowledge(batch!.end); // removal of the acknowledged segment fails too: still resolves
  assert.equal(existsSync(join(dir, 'segment-000000000001.jsonl')), true);
  assert.equal(spool.readForwardingStats().pendingRecords, 50);

  isRemovable = true;
  await spool.append([{ n: 61 }]);
  assert.ok(spool.readStats().records <= 40, 'the next append brings the spool back under its bound');
  assert.equal(existsSync(join(dir, 'segment-000000000001.jsonl')), false);
  const { pendingRecords, droppedRecords } = spool.readForwardingStats();
  assert.equal(
    pendingRecords + droppedRecords,
    61 - 10,
    'every reading is forwarded, pending or counted as dropped',
  );
});

test('a position that cannot be saved still frees acknowledged segments; a restart re-sends, never skips', async (t) => {
  const dir = makeDir(t);
  mkdirSync(join(dir, `${FORWARD_POSITION_FILE}.tmp`)); // the save's temporary file cannot be created
  const { log, events } = createRecordingLogger();
  const first = await Spool.open({ dir, maxRecords: 40 }, log);
  for (let n = 1; n <= 25; n += 1) await first.append([{ n }]);
  const forwarded = await forwardAll(first, 6);
  assert.equal(forwarded.length, 25);
  assert.ok(events.some((event) => event.level === 'warn' && event.msg.startsWith('could not save')));
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.startsWith('segment-')),
    ['segment-000000000003.jsonl'],
    'acknowledged segments went anyway, which is what frees a full disk',
  );
  await first.close();

  const second = await openSpool(t, { dir, maxRecords: 40 });
  assert.deepEqual(
    (await forwardAll(second, 100)).map((r) => r.n),
    [21, 22, 23, 24, 25],
    'the readings of the first segment left are sent again, with the same ids',
  );
});
