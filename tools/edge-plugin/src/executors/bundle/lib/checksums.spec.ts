import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCommand } from '../../../lib/run-command';
import { writeChecksums } from './checksums';

describe('writeChecksums', () => {
  it('writes a SHA256SUMS that sha256sum --check accepts, and that catches a changed file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeship-sums-'));
    try {
      const files = ['svc-linux-x64', 'svc-linux-arm64'].map((name) => join(dir, name));
      files.forEach((file, i) => writeFileSync(file, `executable ${i}`));
      await writeChecksums(dir, files);
      const check = () =>
        runCommand('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: dir, check: false });
      assert.equal((await check()).exitCode, 0);
      writeFileSync(files[0]!, 'changed after the build');
      const failed = await check();
      assert.notEqual(failed.exitCode, 0);
      assert.match(failed.stdout, /svc-linux-x64: FAILED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
