import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { readPullReports } from './read-pull-reports';

describe('readPullReports', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgeship-reports-spec-'));
    await mkdir(join(dir, 'reports'));
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it('reads each node report by node', async () => {
    const report = {
      node: 'edge-1',
      at: '2026-12-04T05:00:00Z',
      machine: 'aarch64',
      services: {},
      pulls: {},
    };
    await writeFile(join(dir, 'reports', 'edge-1.json'), JSON.stringify(report));
    assert.deepEqual(readPullReports(dir).get('edge-1'), report);
  });

  it('names a report that is not JSON, or names another node than its file, and the fix', async () => {
    await writeFile(join(dir, 'reports', 'edge-2.json'), '{"node":');
    assert.throws(
      () => readPullReports(dir),
      (error: ConfigError) => /edge-2\.json.*not JSON/s.test(error.message),
    );
    await writeFile(join(dir, 'reports', 'edge-2.json'), '{"node":"edge-3","services":{}}');
    assert.throws(
      () => readPullReports(dir),
      (error: ConfigError) => /edge-2\.json.*names its node/s.test(error.message),
    );
    await rm(join(dir, 'reports', 'edge-2.json'));
  });

  it('refuses a directory that is not a channel', () => {
    assert.throws(() => readPullReports(join(dir, 'none')), /--pull-reports.*reports\/ folder/s);
  });
});
