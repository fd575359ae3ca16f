import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startRegistry } from './registry';

describe('startRegistry', () => {
  it('fails, saying why, when the registry does not come up', async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'edgeship-no-registry-'));
    const path = process.env['PATH'];
    process.env['PATH'] = emptyPath; // no docker-registry to start
    try {
      await assert.rejects(
        startRegistry(),
        /docker-registry did not answer on http:\/\/127\.0\.0\.1:\d+\/v2\/:\n.*ENOENT/,
      );
    } finally {
      process.env['PATH'] = path;
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});
