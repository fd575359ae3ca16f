import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeExecutablesRecord } from '../build-record';
import { publishToChannel } from './publish-to-channel';

/** Refusals only: a signed build is published (and pulled) in test/pull-mode.spec.ts, with a real key. */
describe('publishToChannel refuses what nodes must not take', () => {
  let root: string;
  let channelDir: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'edgeship-publish-spec-'));
    channelDir = join(root, 'channel');
  });

  after(() => rm(root, { recursive: true, force: true }));

  it('a service never built: names its build record and what to run', async () => {
    await assert.rejects(
      publishToChannel({ distDir: join(root, 'none'), shownDir: 'dist/none', channelDir, anchor: undefined }),
      /dist\/none\/build\.json.*run the bundle and release targets first/s,
    );
  });

  it('an unsigned build: names build.json.sig, and the channel stays empty', async () => {
    const distDir = join(root, 'unsigned');
    await mkdir(join(distDir, 'bin'), { recursive: true });
    await writeFile(join(distDir, 'bin', 'svc-linux-arm64'), 'executable');
    await writeExecutablesRecord(distDir, {
      ...{
        schema: 'edgeship.executables/v1',
        service: 'svc',
        version: '1.0.0',
        runtime: { node: '24.21.0' },
      },
      executables: [{ arch: 'arm64', file: 'bin/svc-linux-arm64', sha256: 'a'.repeat(64) }],
    });
    await assert.rejects(
      publishToChannel({ distDir, shownDir: 'dist/svc', channelDir, anchor: undefined }),
      /dist\/svc\/build\.json\.sig.*signatures are required \(pull mode publishes signed builds only\)/s,
    );
    assert.deepEqual(await readdir(channelDir).catch(() => []), []);
  });
});
