import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { captureOutput, executorContext, logToStderr } from '@edgeship/edge-common/testing';
import imageExecutor from '../image.impl';
import { readImageId, removeImageTag } from '../lib/docker-engine';
import { readImageRecord, type ImageRecord } from '../lib/image-record';
import { sha256File } from '../lib/reproducible-tar';
import { postTasksExecution } from '../lib/restore-after-cache-hit';
import { createImageWorkspace, FIXTURE_PORT, FIXTURE_SERVICE, getJson } from './fixture-service';

// Node 20's test runner reads this file's stdout as its report channel: the logger writes to stderr.
logToStderr();

const MB = 1024 * 1024;
const repository = `edgeship-test/image-${process.pid}`;
const root = createImageWorkspace();
const context = executorContext(root, FIXTURE_SERVICE, `packages/${FIXTURE_SERVICE}`);
const imageDir = join(root, 'dist', FIXTURE_SERVICE, 'image');
const container = `edgeship-image-test-${process.pid}`;

async function build(options: Record<string, unknown> = {}): Promise<{ success: boolean; output: string }> {
  const { result, output } = await captureOutput(() => imageExecutor({ repository, ...options }, context));
  return { success: result.success, output };
}

describe('image executor (real engine, buildx, apt, zstd)', () => {
  let first: ImageRecord;

  before(async () => {
    const built = await build();
    assert.equal(built.success, true, built.output);
    first = await readImageRecord(imageDir);
  });

  after(async () => {
    rmSync(root, { recursive: true, force: true });
    await runCommand('docker', ['rm', '-f', container], { check: false });
    for (const arch of ['arm64', 'amd64']) await removeImageTag(`${repository}:1.2.3-${arch}`);
  });

  it('writes one OCI archive per platform, arm64 first, and loads each into the engine', async () => {
    assert.deepEqual(
      first.images.map((i) => i.platform),
      ['linux/arm64', 'linux/amd64'],
    );
    for (const image of first.images) {
      assert.equal(image.archive, `${FIXTURE_SERVICE}-${image.platform.replace('/', '-')}.tar`);
      assert.equal(await readImageId(image.tag), image.configDigest);
      const index = JSON.parse(
        (await runCommand('tar', ['-xOf', join(imageDir, image.archive), 'index.json'])).stdout,
      );
      assert.equal(index.manifests[0].digest, image.manifestDigest);
    }
  });

  it('layers base → runtime → service, the service layer tiny and the arm64 total under 35 MB', () => {
    for (const image of first.images) {
      assert.deepEqual(
        image.layers.map((l) => l.role),
        ['base', 'runtime', 'service'],
      );
      assert.ok(image.layers[2]!.size < 1 * MB, `service layer ${image.layers[2]!.size} B`);
      assert.ok(image.layers.every((l) => l.mediaType.endsWith('+zstd')));
    }
    assert.ok(first.images[0]!.compressedSize < 35 * MB, `arm64 total ${first.images[0]!.compressedSize} B`);
  });

  it('labels the image from the commit: created = SOURCE_DATE_EPOCH, revision, version, source; no HEALTHCHECK', async () => {
    const inspect = JSON.parse(
      (await runCommand('docker', ['image', 'inspect', first.images[0]!.tag])).stdout,
    )[0];
    const labels = inspect.Config.Labels;
    assert.equal(labels['org.opencontainers.image.created'], '2023-11-14T22:13:20Z');
    assert.equal(inspect.Created, '2023-11-14T22:13:20Z');
    assert.match(labels['org.opencontainers.image.revision'], /^[0-9a-f]{40}$/);
    assert.equal(labels['org.opencontainers.image.version'], '1.2.3');
    assert.equal(labels['org.opencontainers.image.source'], 'https://example.invalid/edgeship.git');
    assert.equal(inspect.Config.User, '10001:10001');
    assert.equal(inspect.Config.Healthcheck, undefined);
    assert.equal(inspect.Architecture, 'arm64');
  });

  it('runs on arm64 (emulated) as the non-root user, and has no shell', async () => {
    await runCommand('docker', [
      'run',
      '-d',
      '--name',
      container,
      '--pull=never',
      '--platform',
      'linux/arm64',
      '-p',
      `127.0.0.1::${FIXTURE_PORT}`,
      first.images[0]!.tag,
    ]);
    const port = (await runCommand('docker', ['port', container, `${FIXTURE_PORT}/tcp`])).stdout
      .split(':')
      .pop();
    let answer: Record<string, unknown> | undefined;
    for (let attempt = 0; attempt < 120 && !answer; attempt++) {
      answer = await getJson(`http://127.0.0.1:${port}/`);
      if (!answer) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.deepEqual(
      { arch: answer?.arch, uid: answer?.uid, user: answer?.user, node: answer?.node },
      { arch: 'arm64', uid: 10001, user: 'edge', node: 'v24.21.0' },
    );
    await runCommand('docker', ['stop', '--time', '20', container]);
    const state = JSON.parse((await runCommand('docker', ['inspect', container])).stdout)[0].State;
    assert.equal(state.ExitCode, 0, 'SIGTERM ends the service cleanly');
    await runCommand('docker', ['rm', container]);
    const shell = await runCommand(
      'docker',
      [
        'run',
        '--rm',
        '--pull=never',
        '--platform',
        'linux/arm64',
        '--entrypoint',
        '/bin/sh',
        first.images[0]!.tag,
        '-c',
        'true',
      ],
      { check: false },
    );
    assert.notEqual(shell.exitCode, 0);
    assert.match(shell.stderr, /no such file or directory/);
  });

  it('is reproducible: a rebuild of the same commit without the builder cache gives the same digests and bytes', async () => {
    const archives = await Promise.all(first.images.map((i) => sha256File(join(imageDir, i.archive))));
    const rebuilt = await build({ noCache: true });
    assert.equal(rebuilt.success, true, rebuilt.output);
    const second = await readImageRecord(imageDir);
    assert.deepEqual(
      second.images.map((i) => i.manifestDigest),
      first.images.map((i) => i.manifestDigest),
    );
    assert.deepEqual(
      await Promise.all(second.images.map((i) => sha256File(join(imageDir, i.archive)))),
      archives,
    );
  });

  it('after a cache hit, loads the restored archive into an engine that lost the image', async () => {
    const image = first.images[0]!;
    await removeImageTag(image.tag);
    assert.equal(await readImageId(image.tag), undefined);
    const task = {
      id: `${FIXTURE_SERVICE}:image`,
      target: { project: FIXTURE_SERVICE, target: 'image' },
      overrides: {},
      outputs: [`dist/${FIXTURE_SERVICE}/image`],
      cache: true,
    };
    await captureOutput(async () =>
      postTasksExecution(undefined, {
        id: 'test',
        workspaceRoot: root,
        nxJsonConfiguration: {},
        argv: [],
        startTime: 0,
        endTime: 0,
        taskResults: { [task.id]: { task, status: 'local-cache', code: 0 } },
      } as unknown as Parameters<typeof postTasksExecution>[1]),
    );
    assert.equal(await readImageId(image.tag), image.configDigest);
  });

  it('fails clearly on an unknown platform, a missing bundle, or no docker engine — leaving no archive behind', async () => {
    const unknown = await build({ platforms: ['linux/riscv64'] });
    assert.equal(unknown.success, false);
    assert.match(
      unknown.output,
      /platforms is "linux\/riscv64"\. Supported platforms are linux\/arm64, linux\/amd64/,
    );
    const noBundle = await build({ bundlePath: 'dist/nowhere' });
    assert.match(
      noBundle.output,
      /dist\/nowhere\/main\.js: bundle output is missing\. Build the bundle first: npx nx run image-fixture:bundle/,
    );
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${mkdtempSync(join(tmpdir(), 'no-docker-'))}/docker.sock`;
    try {
      const noEngine = await build();
      assert.equal(noEngine.success, false);
      assert.match(
        noEngine.output,
        /docker engine is not running or not reachable.*Run tools\/bootstrap\/bootstrap\.sh/,
      );
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
    assert.equal(
      readFileSync(join(imageDir, 'image.json'), 'utf8').length > 0,
      true,
      'a refused run does not delete the last good output',
    );
  });
});
