import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('a bad variable stops the start with one log line that names it and the fix, and exit code 1', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'main.ts')], {
    env: { ...process.env, UPSTREAM_URL: 'ingest.example.com', PORT: '0' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.status, 1, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const line = JSON.parse(lines[0]!) as { msg: string };
  assert.match(
    line.msg,
    /^environment: UPSTREAM_URL is "ingest.example.com" .*set it to the http:\/\/ or https:\/\/ URL/,
  );
});
