import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { makeReading, range, startGateway } from './fixtures/gateway-harness';
import { deferCleanup } from './fixtures/cleanup';
import { createRecordingLogger } from './fixtures/recording-logger';

/** A real 64 KiB filesystem, so the kernel itself answers ENOSPC; undefined where mounting is not allowed. */
function mountSmallTmpfs(t: TestContext): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs here (needs root): ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  // Lazy, in case a failed assertion left something holding a file open.
  deferCleanup(t, () => {
    execFileSync('umount', ['--lazy', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

test('a full disk makes /readyz fail until a write succeeds again, and stored readings stay', async (t) => {
  const disk = mountSmallTmpfs(t);
  if (!disk) return;
  const filler = join(disk, 'filler');
  writeFileSync(filler, Buffer.alloc(32 * 1024)); // something to delete later to make room
  const { log, events } = createRecordingLogger();
  const gateway = await startGateway(t, { DATA_DIR: join(disk, 'spool') }, { logger: log });
  assert.equal(await gateway.readReadiness(), 200);

  let accepted = 0;
  let refusal: Response | undefined;
  for (let post = 0; post < 200 && !refusal; post += 1) {
    const response = await gateway.post(range(1, 20).map((n) => makeReading(accepted + n)));
    if (response.status === 202) accepted += 20;
    else refusal = response;
  }
  assert.equal(refusal?.status, 503, 'the disk filled up within 200 batches');
  assert.deepEqual(await refusal.json(), { error: 'readings not stored, retry later' });
  assert.equal(await gateway.readReadiness(), 503);
  assert.equal((await gateway.readStats()).spool.isDiskFull, true);
  assert.ok(events.some((event) => event.level === 'error' && event.msg.startsWith('disk full')));

  rmSync(filler);
  assert.equal((await gateway.post(makeReading(-1))).status, 202);
  assert.equal(await gateway.readReadiness(), 200);
  const stats = await gateway.readStats();
  assert.equal(stats.spool.isDiskFull, false);
  assert.equal(
    stats.spool.records,
    accepted + 1,
    'every acknowledged reading is stored, the refused batch is not',
  );
});
