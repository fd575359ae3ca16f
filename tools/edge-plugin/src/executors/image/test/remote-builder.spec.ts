import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { captureOutput, executorContext, findFreePort, logToStderr } from '@edgeship/edge-common/testing';
import imageExecutor from '../image.impl';
import { readImageId, removeImageTag } from '../lib/docker-engine';
import { readImageRecord, type ImageRecord } from '../lib/image-record';
import { sha256File } from '../lib/reproducible-tar';
import { createImageWorkspace, FIXTURE_SERVICE } from './fixture-service';

// Node 20's test runner reads this file's stdout as its report channel: the logger writes to stderr.
logToStderr();

// A second docker engine on this machine, reached over ssh on 127.0.0.1 through a docker context, stands in
// for a native ARM64 host: the Dockerfile runs nothing (file copies only), so the engine's own arch does
// not enter the image. See the image executor's README, "Building on a remote engine".
const secondEngine = join(__dirname, 'second-engine.sh');
const name = `edgeship-builder-${process.pid}`;
const closed = `${name}-closed`;
const repository = `edgeship-test/remote-builder-${process.pid}`;
const root = createImageWorkspace();
const context = executorContext(root, FIXTURE_SERVICE, `packages/${FIXTURE_SERVICE}`);
const imageDir = join(root, 'dist', FIXTURE_SERVICE, 'image');
// The contexts live in a private docker config: nobody else's `docker context ls` sees them.
const dockerConfig = mkdtempSync(join(tmpdir(), 'edgeship-docker-config-'));
const savedDockerConfig = process.env.DOCKER_CONFIG;

async function build(options: Record<string, unknown>) {
  const started = Date.now();
  const { result, output } = await captureOutput(() =>
    imageExecutor({ repository, platforms: ['linux/arm64'], ...options }, context),
  );
  return { success: result.success, output, seconds: (Date.now() - started) / 1000 };
}

/** The main engine's default bridge: a dockerd started with --bridge=none in the host's namespace deletes it. */
async function hasDocker0(): Promise<boolean> {
  return (await runCommand('ip', ['link', 'show', 'docker0'], { check: false })).exitCode === 0;
}

async function buildCacheRecords(engine: string): Promise<number> {
  const du = await runCommand('docker', ['--context', engine, 'buildx', 'du', '--verbose']);
  return (du.stdout.match(/^ID:/gm) ?? []).length;
}

describe('image --builder: a second docker engine over ssh (real engines, sshd, buildx)', () => {
  let local: ImageRecord;
  let localArchive: string;
  let hadDocker0: boolean;

  before(async () => {
    process.env.DOCKER_CONFIG = dockerConfig;
    await runCommand('bash', [secondEngine, 'prune']);
    hadDocker0 = await hasDocker0();
    const port = await findFreePort();
    await runCommand('bash', [secondEngine, 'up', name, String(port), String(process.pid)], {
      timeoutMs: 120_000,
    });
    const built = await build({});
    assert.equal(built.success, true, built.output);
    local = await readImageRecord(imageDir);
    localArchive = await sha256File(join(imageDir, local.images[0]!.archive));
  });

  after(async () => {
    await runCommand('bash', [secondEngine, 'down', name], { check: false, timeoutMs: 120_000 });
    if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedDockerConfig;
    rmSync(dockerConfig, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
    await removeImageTag(`${repository}:1.2.3-arm64`);
  });

  it('runs the second engine beside the main one without touching its network (docker0 stays)', async () => {
    assert.equal(await hasDocker0(), hadDocker0);
    const main = await runCommand('docker', ['info', '--format', '{{.DockerRootDir}}']);
    const second = await runCommand('docker', ['--context', name, 'info', '--format', '{{.DockerRootDir}}']);
    assert.notEqual(second.stdout, main.stdout);
    assert.match(second.stdout, new RegExp(`second-engines/${name}/data$`));
  });

  it('builds linux/arm64 on the remote engine with the same manifest digest as the local build', async () => {
    assert.equal(await buildCacheRecords(name), 0, 'a fresh engine has built nothing');
    const remote = await build({ builder: name });
    assert.equal(remote.success, true, remote.output);
    assert.match(
      remote.output,
      new RegExp(`builder ${name}: docker driver, images built and read in engine ${name}`),
    );
    assert.match(remote.output, new RegExp(`docker --context ${name} buildx build --platform linux/arm64`));
    assert.ok((await buildCacheRecords(name)) > 0, 'the build ran in the second engine');
    const record = await readImageRecord(imageDir);
    const [image] = record.images;
    assert.equal(image!.manifestDigest, local.images[0]!.manifestDigest);
    assert.equal(image!.configDigest, local.images[0]!.configDigest);
    assert.equal(await sha256File(join(imageDir, image!.archive)), localArchive, 'byte-identical archive');
    // Read back from the remote engine and loaded here; the remote engine keeps no tag of ours.
    assert.equal(await readImageId(image!.tag), image!.configDigest);
    const left = await runCommand('docker', ['--context', name, 'image', 'ls', '--quiet']);
    assert.equal(left.stdout.trim(), '', 'no image left tagged in the remote engine');
  });

  it("fails before any build when the builder's context points at a closed port, naming both", async () => {
    const port = await findFreePort();
    const host = `ssh://root@127.0.0.1:${port}/var/run/docker.sock`;
    await runCommand('docker', ['context', 'create', closed, '--docker', `host=${host}`]);
    const refused = await build({ builder: closed });
    assert.equal(refused.success, false);
    assert.match(
      refused.output,
      new RegExp(
        `builder "${closed}" cannot be reached: the engine of its docker context "${closed}" \\(${host}\\) does not answer\\. Nothing was built\\.`,
      ),
    );
    assert.match(refused.output, /Connection refused/, "ssh's own words");
    await assertNothingBuilt(refused);
  });

  it('fails before any build when the remote engine has stopped, naming the builder and the context', async () => {
    await runCommand('bash', [secondEngine, 'stop-engine', name], { timeoutMs: 60_000 });
    const refused = await build({ builder: name });
    assert.equal(refused.success, false);
    assert.match(
      refused.output,
      new RegExp(
        `builder "${name}" cannot be reached: the engine of its docker context "${name}" \\(ssh://${name}/\\S+/docker\\.sock\\) does not answer\\. Nothing was built\\.`,
      ),
    );
    assert.match(refused.output, /Cannot connect to the Docker daemon/);
    await assertNothingBuilt(refused);
  });

  async function assertNothingBuilt(run: { output: string; seconds: number }): Promise<void> {
    assert.doesNotMatch(run.output, /base image|runtime|buildx build/, 'no step started');
    assert.ok(run.seconds < 30, `refused in ${run.seconds} s`);
    const kept = await readImageRecord(imageDir);
    assert.equal(
      kept.images[0]!.manifestDigest,
      local.images[0]!.manifestDigest,
      'the last good output stays',
    );
  }
});
