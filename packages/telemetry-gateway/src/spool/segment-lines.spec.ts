import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { MAX_LINE_BYTES, readSegmentLines } from './segment-lines';

function writeTempFile(t: TestContext, contents: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'segment-lines-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'segment-000000000001.jsonl');
  writeFileSync(path, contents);
  return path;
}

async function collect(path: string, range?: { start?: number; end?: number }) {
  const lines = [];
  for await (const line of readSegmentLines(path, range)) lines.push(line);
  return lines;
}

test('yields complete lines with their byte offsets, never the unterminated tail', async (t) => {
  const path = writeTempFile(t, '{"n":1}\n\n{"n":2}\n{"n":3');
  assert.deepEqual(await collect(path), [
    { text: '{"n":1}', start: 0, end: 8 },
    { text: '', start: 8, end: 9 },
    { text: '{"n":2}', start: 9, end: 17 },
  ]);
  assert.deepEqual(await collect(path, { start: 9 }), [{ text: '{"n":2}', start: 9, end: 17 }]);
  assert.deepEqual(await collect(path, { end: 16 }), [
    { text: '{"n":1}', start: 0, end: 8 },
    { text: '', start: 8, end: 9 },
  ]);
});

test('lines that cross chunk boundaries come out whole, multi-byte characters intact', async (t) => {
  const lines = Array.from({ length: 3000 }, (_, n) =>
    JSON.stringify({ n, unit: 'µS/cm', pad: 'x'.repeat(n % 97) }),
  );
  const path = writeTempFile(t, lines.map((line) => line + '\n').join(''));
  const read = await collect(path);
  assert.deepEqual(
    read.map((line) => line.text),
    lines,
  );
  assert.equal(read.at(-1)!.end, Buffer.byteLength(lines.join('\n') + '\n'));
});

test('an overlong line is reported without its text, and reading goes on after it', async (t) => {
  const path = writeTempFile(t, '{"n":1}\n' + 'x'.repeat(MAX_LINE_BYTES * 3) + '\n{"n":2}\n');
  const read = await collect(path);
  assert.deepEqual(
    read.map((line) => line.text),
    ['{"n":1}', undefined, '{"n":2}'],
  );
  assert.equal(read[2]!.start, 8 + MAX_LINE_BYTES * 3 + 1);
});
