import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readImageRecord, writeImageRecord, type ImageRecord } from './image-record';

describe('image record', () => {
  it('round-trips through image.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeship-record-'));
    const record: ImageRecord = {
      schema: 'edgeship.image/v1',
      service: 'svc',
      version: '1.0.0',
      sourceDateEpoch: 0,
      created: '1970-01-01T00:00:00Z',
      runtime: { node: '24.21.0' },
      base: {},
      images: [],
    };
    await writeImageRecord(dir, record);
    assert.deepEqual(await readImageRecord(dir), record);
  });

  it('refuses a file that is not an image record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeship-record-'));
    writeFileSync(join(dir, 'image.json'), '{"schema":"other"}');
    await assert.rejects(readImageRecord(dir), /not an edgeship image record/);
  });
});
