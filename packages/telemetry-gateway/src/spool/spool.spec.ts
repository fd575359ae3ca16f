import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createLogger } from '@edgeship/service-kit';
import { Spool } from './spool';
import type { SpoolOptions } from './spool-options';

const quiet = createLogger({ level: 'error' });

function makeDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'spool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function openSpool(t: TestContext, options: SpoolOptions): Promise<Spool> {
  const spool = await Spool.open(options, quiet);
  t.after(() => spool.close());
  return spool;
}

function readDiskRecords(dir: string): Array<{ n: number }> {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as { n: number });
}

test('acknowledged readings are on disk, in order, and served from memory', async (t) => {
  const dir = makeDir(t);
  const spool = await openSpool(t, { dir });
  // Concurrent appends share fsyncs (group commit) but keep their order.
  await Promise.all(Array.from({ length: 50 }, (_, i) => spool.append([{ n: i + 1 }])));
  assert.deepEqual(
    readDiskRecords(dir).map((r) => r.n),
    Array.from({ length: 50 }, (_, i) => i + 1),
  );
  assert.deepEqual(spool.readRecent(3), [{ n: 48 }, { n: 49 }, { n: 50 }]);
  assert.equal(spool.readStats().records, 50);
});

test('a reopened spool rebuilds its recent readings from the segments', async (t) => {
  const dir = makeDir(t);
  const first = await Spool.open({ dir, maxRecords: 40, recentCapacity: 5 }, quiet);
  for (let n = 1; n <= 25; n += 1) await first.append([{ n }]);
  await first.close();
  const second = await openSpool(t, { dir, maxRecords: 40, recentCapacity: 5 });
  assert.deepEqual(
    second.readRecent(5),
    [21, 22, 23, 24, 25].map((n) => ({ n })),
  );
  assert.equal(second.readStats().records, 25);
  await second.append([{ n: 26 }]);
  assert.deepEqual(second.readRecent(2), [{ n: 25 }, { n: 26 }]);
});

test('stays within maxBytes and maxRecords by dropping the oldest segments', async (t) => {
  const byBytes = makeDir(t);
  const spool = await openSpool(t, { dir: byBytes, maxBytes: 8000 });
  for (let n = 1; n <= 300; n += 1) await spool.append([{ n, padding: 'x'.repeat(80) }]);
  const diskBytes = readdirSync(byBytes).reduce((sum, name) => sum + statSync(join(byBytes, name)).size, 0);
  assert.ok(diskBytes <= 8000 && diskBytes >= 5000, `disk bytes ${diskBytes}`);
  assert.equal(diskBytes, spool.readStats().bytes);
  const kept = readDiskRecords(byBytes).map((r) => r.n);
  assert.equal(kept.at(-1), 300, 'the newest reading is kept');
  assert.deepEqual(
    kept,
    Array.from({ length: kept.length }, (_, i) => 301 - kept.length + i),
    'a contiguous tail',
  );

  const byRecords = makeDir(t);
  const counted = await openSpool(t, { dir: byRecords, maxRecords: 40 });
  for (let n = 1; n <= 100; n += 1) await counted.append([{ n }]);
  const records = readDiskRecords(byRecords).length;
  assert.ok(records <= 40 && records >= 30, `records ${records}`);
});

test('a torn last line is dropped on open and the next append starts on a clean line', async (t) => {
  const dir = makeDir(t);
  const first = await Spool.open({ dir }, quiet);
  await first.append([{ n: 1 }, { n: 2 }]);
  await first.close();
  const [segment] = readdirSync(dir);
  appendFileSync(join(dir, segment!), '{"n":3,"pad'); // what a power cut during write() leaves behind

  const lines: string[] = [];
  const log = createLogger({ stream: { write: (line: string) => lines.push(line) } as never });
  const second = await Spool.open({ dir }, log);
  t.after(() => second.close());
  assert.deepEqual(second.readRecent(10), [{ n: 1 }, { n: 2 }]);
  assert.ok(lines.some((line) => line.includes('dropping torn last line')));
  await second.append([{ n: 4 }]);
  assert.deepEqual(
    readDiskRecords(dir).map((r) => r.n),
    [1, 2, 4],
  );
});

test('corrupt lines in the middle of a segment are skipped, not fatal', async (t) => {
  const dir = makeDir(t);
  appendFileSync(join(dir, 'segment-000000000007.jsonl'), '{"n":1}\nnot json\n{"n":2}\n');
  const spool = await openSpool(t, { dir });
  assert.deepEqual(spool.readRecent(10), [{ n: 1 }, { n: 2 }]);
  await spool.append([{ n: 3 }]);
  assert.deepEqual(readdirSync(dir), ['segment-000000000007.jsonl']);
});

test('append after close is refused', async (t) => {
  const spool = await Spool.open({ dir: makeDir(t) }, quiet);
  await spool.close();
  assert.equal(spool.isOpen, false);
  await assert.rejects(spool.append([{ n: 1 }]), /spool is closed/);
});

test('every acknowledged reading survives SIGKILL of the writing process', async (t) => {
  const dir = makeDir(t);
  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    join(__dirname, 'fixtures', 'append-until-killed.ts'),
    dir,
  ]);
  t.after(() => child.kill('SIGKILL'));
  let lastAcked = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    const acks = chunk.toString().match(/acked (\d+)/g) ?? [];
    if (acks.length) lastAcked = Number(acks.at(-1)!.split(' ')[1]);
  });
  while (lastAcked < 100) await new Promise((resolve) => setTimeout(resolve, 10));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));

  const reopened = await openSpool(t, { dir });
  const stored = readDiskRecords(dir).map((r) => r.n);
  assert.ok(stored.length >= lastAcked, `stored ${stored.length}, acked ${lastAcked}`);
  assert.deepEqual(
    stored.slice(0, lastAcked),
    Array.from({ length: lastAcked }, (_, i) => i + 1),
  );
  assert.equal(reopened.readStats().records, stored.length);
});
