import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { copyWorkspaceToThrowawayRepo, logToStderr } from '@edgeship/edge-common/testing';
import { readImageId, removeImageTag } from '../lib/docker-engine';
import { readImageRecord, type ImageRecord } from '../lib/image-record';

// Node 20's test runner reads this file's stdout as its report channel: the logger writes to stderr.
logToStderr();

const repository = `edgeship-test/nx-${process.pid}`;

/** `npx nx run hello-edge:image` in a throwaway copy of this workspace, as a developer or CI runs it. */
async function runImageTarget(root: string): Promise<string> {
  const result = await runCommand(
    join(root, 'node_modules', '.bin', 'nx'),
    [
      'run',
      'hello-edge:image',
      '--platforms=linux/arm64',
      `--repository=${repository}`,
      '--outputStyle=static',
    ],
    {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      timeoutMs: 20 * 60_000,
    },
  );
  return `${result.stdout}\n${result.stderr}`;
}

describe('image target through Nx: a cache hit brings the image back into the engine', () => {
  let root: string;
  let record: ImageRecord;

  before(async () => {
    root = copyWorkspaceToThrowawayRepo();
    await runImageTarget(root);
    record = await readImageRecord(join(root, 'dist', 'hello-edge', 'image'));
  });

  after(async () => {
    await removeImageTag(record?.images[0]?.tag ?? `${repository}:none`);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('meets the size goals for hello-edge arm64: under 35 MB compressed, its own layer under 1 MB', () => {
    const image = record.images[0]!;
    assert.equal(image.platform, 'linux/arm64');
    assert.ok(image.compressedSize < 35_000_000, `total ${image.compressedSize} B`);
    const own = image.layers.find((layer) => layer.role === 'service')!;
    assert.ok(own.size < 1_000_000, `service layer ${own.size} B`);
  });

  it('restores the image when the engine lost it but the archive is still in dist/', async () => {
    const { tag, configDigest } = record.images[0]!;
    await removeImageTag(tag);
    assert.equal(await readImageId(tag), undefined);
    const output = await runImageTarget(root);
    assert.match(output, /cache/i);
    assert.match(output, /cache hit: loaded/);
    assert.equal(await readImageId(tag), configDigest);
  });

  it('restores archive and image from the Nx cache when both are gone, and the image runs', async () => {
    const { tag, configDigest } = record.images[0]!;
    await removeImageTag(tag);
    rmSync(join(root, 'dist', 'hello-edge', 'image'), { recursive: true, force: true });
    const output = await runImageTarget(root);
    assert.match(output, /local cache|read the output from the cache/i);
    assert.equal(await readImageId(tag), configDigest);
    const run = await runCommand('docker', [
      'run',
      '--rm',
      '--pull=never',
      '--platform',
      'linux/arm64',
      '--entrypoint',
      '/opt/edgeship/node',
      tag,
      '-p',
      'process.arch + " " + process.getuid()',
    ]);
    assert.equal(run.stdout.trim(), 'arm64 10001');
  });
});
