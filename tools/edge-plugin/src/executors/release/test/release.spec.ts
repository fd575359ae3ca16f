import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import {
  captureOutput,
  executorContext,
  logToStderr,
  startRegistry,
  type TestRegistry,
} from '@edgeship/edge-common/testing';
import deployExecutor from '../../deploy/deploy.impl';
import { resolveDeployArtifacts } from '../../deploy/lib/deploy-artifacts';
import { normalizeOptions } from '../../deploy/lib/normalize-options';
import imageExecutor from '../../image/image.impl';
import { removeImageTag } from '../../image/lib/docker-engine';
import { readImageRecord, type ImageRecord } from '../../image/lib/image-record';
import { createImageWorkspace, FIXTURE_SERVICE } from '../../image/test/fixture-service';
import { readTagDigest } from '../lib/publish';
import type { ReleaseRecord } from '../lib/release-record';
import releaseExecutor from '../release.impl';

// Node 20's test runner reads this file's stdout as its report channel: the logger writes to stderr.
logToStderr();

const repository = `edgeship-test/release-${process.pid}`;
const root = createImageWorkspace();
const context = executorContext(root, FIXTURE_SERVICE, `packages/${FIXTURE_SERVICE}`);
// A registry of the test's own (the shared 127.0.0.1:5000 keeps no test leftovers), chosen the way
// users choose theirs: EDGESHIP_REGISTRY.
let registry: TestRegistry;
let name: string;
const transport = { isInsecure: true };

/**
 * Runs the release executor as on a laptop (CI unset, even under .ci/run: the project key pair is made on
 * first use there), unless `overrides` say otherwise.
 */
async function release(
  options: Record<string, unknown> = {},
  overrides: Record<string, string> = {},
): Promise<{ success: boolean; output: string }> {
  const { result, output } = await withEnv({ CI: '', ...overrides }, () =>
    captureOutput(() => releaseExecutor({ repository, ...options }, context)),
  );
  return { success: result.success, output };
}

async function buildImages(): Promise<ImageRecord> {
  const { result, output } = await captureOutput(() => imageExecutor({ repository }, context));
  assert.equal(result.success, true, output);
  return readImageRecord(join(root, 'dist', FIXTURE_SERVICE, 'image'));
}

/** Runs `action` with these environment variables set, then puts the environment back. */
async function withEnv<T>(env: Record<string, string>, action: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await action();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const readRelease = () =>
  JSON.parse(readFileSync(join(root, 'dist', FIXTURE_SERVICE, 'release.json'), 'utf8')) as ReleaseRecord;

describe('release executor (real registry, skopeo, buildx imagetools, cosign)', () => {
  let images: ImageRecord;
  let first: ReleaseRecord;

  before(async () => {
    registry = await startRegistry({ readonly: false });
    process.env['EDGESHIP_REGISTRY'] = registry.host;
    name = `${registry.host}/${repository}`;
    images = await buildImages();
    const released = await release();
    assert.equal(released.success, true, released.output);
    first = readRelease();
  });

  after(async () => {
    rmSync(root, { recursive: true, force: true });
    delete process.env['EDGESHIP_REGISTRY'];
    await registry?.stop();
    for (const arch of ['arm64', 'amd64']) await removeImageTag(`${repository}:1.2.3-${arch}`);
    // The first build's images lost their tags to the changed rebuild: remove them by id.
    for (const image of images?.images ?? []) await removeImageTag(image.configDigest);
  });

  it('pushes each arch byte for byte, lists them, and tags version and arch tags at those digests', async () => {
    assert.deepEqual(
      first.digests,
      Object.fromEntries(images.images.map((i) => [i.platform, i.manifestDigest])),
    );
    assert.equal(first.image, `${name}:1.2.3`);
    assert.equal(first.reference, `${name}@${first.manifestDigest}`);
    assert.equal(await readTagDigest(`${name}:1.2.3`, transport), first.manifestDigest);
    assert.equal(await readTagDigest(`${name}:1.2.3-arm64`, transport), first.digests['linux/arm64']);
    assert.equal(await readTagDigest(`${name}:1.2.3-amd64`, transport), first.digests['linux/amd64']);
    const list = JSON.parse(
      (await runCommand('docker', ['buildx', 'imagetools', 'inspect', '--raw', first.reference])).stdout,
    );
    assert.deepEqual(
      list.manifests.map((m: { digest: string; platform: { architecture: string } }) => [
        m.platform.architecture,
        m.digest,
      ]),
      [
        ['arm64', first.digests['linux/arm64']],
        ['amd64', first.digests['linux/amd64']],
      ],
    );
    assert.equal(first.revision, images.revision);
  });

  it('signs by digest with the project key (made on first use, gitignored location) and verifies', async () => {
    assert.equal(first.signature.verified, true);
    assert.equal(first.signature.publicKey, '.edgeship/keys/cosign.pub');
    for (const digest of [first.manifestDigest, first.digests['linux/arm64']!]) {
      const verify = await runCommand('cosign', [
        'verify',
        `--key=${join(root, '.edgeship/keys/cosign.pub')}`,
        '--insecure-ignore-tlog=true',
        `${name}@${digest}`,
      ]);
      assert.match(verify.stdout, new RegExp(digest));
    }
  });

  it('gives the same manifest list digest when the same images are released again (credentials from the environment)', async () => {
    const again = await release(
      {},
      { EDGESHIP_REGISTRY_USER: 'ci', EDGESHIP_REGISTRY_PASSWORD: 'unused-by-this-registry' },
    );
    assert.equal(again.success, true, again.output);
    assert.equal(readRelease().manifestDigest, first.manifestDigest);
  });

  it('signs the build record with its SBOM, and marks the key pair it made as a development key', () => {
    const dist = join(root, 'dist', FIXTURE_SERVICE);
    const record = JSON.parse(readFileSync(join(dist, 'build.json'), 'utf8'));
    assert.deepEqual(
      record.images.map((image: { arch: string; manifestDigest: string }) => [
        `linux/${image.arch}`,
        image.manifestDigest,
      ]),
      Object.entries(first.digests),
    );
    assert.equal(
      first.build.sha256,
      createHash('sha256')
        .update(readFileSync(join(dist, 'build.json')))
        .digest('hex'),
    );
    const sbom = readFileSync(join(dist, 'sbom.cdx.json'));
    assert.equal(JSON.parse(sbom.toString()).bomFormat, 'CycloneDX');
    assert.deepEqual(record.sbom, {
      file: 'sbom.cdx.json',
      sha256: createHash('sha256').update(sbom).digest('hex'),
    });
    assert.ok(existsSync(join(dist, 'build.json.sig')), 'build.json.sig written');
    assert.match(readFileSync(join(root, '.edgeship/keys/DEVELOPMENT-KEY'), 'utf8'), /local fleet only/);
  });

  it('a real inventory refuses the development key, a foreign key and an unsigned build, before Ansible runs', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'edgeship-deploy-trust-'));
    // An inventory that parses, with one host nothing answers on: reaching Ansible would be the bug.
    const inventory = join(scratch, 'inventory.yml');
    writeFileSync(
      inventory,
      'all:\n  children:\n    edge:\n      hosts:\n        unreachable:\n          ansible_host: 127.0.0.1\n          ansible_port: 1\n',
    );
    const options = { inventory };
    const reportFile = normalizeOptions(options, context).reportFile;
    const deploy = async (env: Record<string, string>) => {
      const { result, output } = await withEnv(env, () =>
        captureOutput(() => deployExecutor(options, context)),
      );
      assert.equal(result.success, false, output);
      assert.doesNotMatch(output, /▸ deploy |PLAY \[/, 'the deploy stopped before ansible-playbook');
      assert.equal(existsSync(`${reportFile}.ansible.json`), false, 'no Ansible report: it never ran');
      return output;
    };
    await runCommand('cosign', ['generate-key-pair', `--output-key-prefix=${join(scratch, 'foreign')}`], {
      env: { ...process.env, COSIGN_PASSWORD: '' },
    });
    const signature = join(root, 'dist', FIXTURE_SERVICE, 'build.json.sig');
    try {
      // No anchor at all: the development key is never looked up for a real inventory.
      assert.match(
        await deploy({}),
        /pipelines\/trust\/release\.pub: trust anchor is missing\. image-fixture: there is no public key/,
      );
      const development = join(root, '.edgeship/keys/cosign.pub');
      assert.match(
        await deploy({ EDGESHIP_TRUST_ANCHOR: development }),
        /EDGESHIP_TRUST_ANCHOR: key is "\.edgeship\/keys\/cosign\.pub"\. This is the local fleet's development key/,
      );
      assert.match(
        await deploy({ EDGESHIP_TRUST_ANCHOR: join(scratch, 'foreign.pub') }),
        /image-fixture: the signature dist\/image-fixture\/build\.json\.sig does not verify against the trust anchor EDGESHIP_TRUST_ANCHOR/,
      );
      renameSync(signature, `${signature}.moved`);
      try {
        assert.match(
          await deploy({ EDGESHIP_TRUST_ANCHOR: join(scratch, 'foreign.pub') }),
          /dist\/image-fixture\/build\.json is not signed \(no build\.json\.sig; nx run image-fixture:release writes both\), and signatures are required \(\S*inventory\.yml is not a local fleet\)/,
        );
      } finally {
        renameSync(`${signature}.moved`, signature);
      }
      // The control: released with a project key (made here, not by release), verified against it as the anchor.
      const project = join(scratch, 'project');
      mkdirSync(project);
      await runCommand('cosign', ['generate-key-pair', `--output-key-prefix=${join(project, 'cosign')}`], {
        env: { ...process.env, COSIGN_PASSWORD: 'project-password' },
      });
      const again = await release(
        {},
        { EDGESHIP_COSIGN_KEY_DIR: project, COSIGN_PASSWORD: 'project-password' },
      );
      assert.equal(again.success, true, again.output);
      assert.equal(
        existsSync(join(project, 'DEVELOPMENT-KEY')),
        false,
        'a key release did not make is not marked',
      );
      const { result: accepted, output } = await withEnv(
        { EDGESHIP_TRUST_ANCHOR: join(project, 'cosign.pub') },
        () => captureOutput(() => resolveDeployArtifacts(normalizeOptions(options, context))),
      );
      assert.match(output, /image-fixture: build record signature verified \(EDGESHIP_TRUST_ANCHOR\)/);
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(accepted.artifacts.container ?? {}).map(([arch, entry]) => [
            `linux/${arch}`,
            [entry!.manifest_digest, entry!.repository],
          ]),
        ),
        Object.fromEntries(
          Object.entries(first.digests).map(([platform, digest]) => [platform, [digest, repository]]),
        ),
        output,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('refuses a wrong key password before pushing anything', async () => {
    const wrong = await release({ tag: '9.9.9-never-pushed' }, { COSIGN_PASSWORD: 'not-the-password' });
    assert.equal(wrong.success, false);
    assert.match(wrong.output, /wrong password for .*cosign\.key\. Set COSIGN_PASSWORD/);
    assert.equal(await readTagDigest(`${name}:9.9.9-never-pushed`, transport), undefined);
  });

  it('refuses an image record whose version would make a bad tag, before anything is pushed', async () => {
    const recordFile = join(root, 'dist', FIXTURE_SERVICE, 'image', 'image.json');
    const record = readFileSync(recordFile, 'utf8');
    writeFileSync(recordFile, JSON.stringify({ ...JSON.parse(record), version: '1.2.3\nX=1' }));
    try {
      const refused = await release();
      assert.equal(refused.success, false);
      assert.match(
        refused.output,
        new RegExp(
          `dist/${FIXTURE_SERVICE}/image/image\\.json: version is "1\\.2\\.3\\\\nX=1"\\. Use a semver version`,
        ),
      );
      assert.doesNotMatch(refused.output, /push linux/);
    } finally {
      writeFileSync(recordFile, record);
    }
    assert.equal(await readTagDigest(`${name}:1.2.3`, transport), first.manifestDigest);
  });

  it('in CI, refuses to sign without the project key and never makes one', async () => {
    const keyDir = mkdtempSync(join(tmpdir(), 'edgeship-ci-keys-'));
    try {
      const refused = await release(
        { tag: '9.9.9-ci-no-key' },
        { CI: 'true', EDGESHIP_COSIGN_KEY_DIR: keyDir, COSIGN_PASSWORD: 'a-password' },
      );
      assert.equal(refused.success, false);
      assert.match(
        refused.output,
        /environment: EDGESHIP_COSIGN_KEY_DIR is "[^"]+"\. In CI \(CI=true\) release never creates a signing key/,
      );
      assert.deepEqual(readdirSync(keyDir), [], 'no key file was made');
      assert.equal(await readTagDigest(`${name}:9.9.9-ci-no-key`, transport), undefined);
      // The same with the project key in place but no password: refused before anything is pushed too.
      const noPassword = await release(
        { tag: '9.9.9-ci-no-key' },
        { CI: 'true', EDGESHIP_COSIGN_KEY_DIR: join(root, '.edgeship/keys'), COSIGN_PASSWORD: '' },
      );
      assert.equal(noPassword.success, false);
      assert.match(
        noPassword.output,
        /environment: COSIGN_PASSWORD is ""\. In CI \(CI=true\) release refuses a signing key without a password/,
      );
      assert.equal(await readTagDigest(`${name}:9.9.9-ci-no-key`, transport), undefined);
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  });

  it('reports a registry that refuses the push, and creates no tag there', async () => {
    const readonly: TestRegistry = await startRegistry({ readonly: true });
    try {
      const refused = await release({ registry: readonly.host });
      assert.equal(refused.success, false);
      assert.match(refused.output, /the registry refused the push of .*read-only or does not accept pushes/);
      assert.match(refused.output, /:1\.2\.3 was not moved/);
      assert.equal(await readTagDigest(`${readonly.host}/${repository}:1.2.3`, transport), undefined);
    } finally {
      await readonly.stop();
    }
  });

  it('keeps the version tag on the old release when a new one fails after its push', async () => {
    const bundle = join(root, 'dist', FIXTURE_SERVICE, 'bundle', 'main.js');
    writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}// changed\n`);
    const changed = await buildImages();
    assert.notEqual(changed.images[0]!.manifestDigest, images.images[0]!.manifestDigest);
    // A public key that does not match the signing key: push and sign work, verification fails.
    const keys = join(root, '.edgeship/keys');
    const other = mkdtempSync(join(tmpdir(), 'edgeship-otherkey-'));
    await runCommand('cosign', ['generate-key-pair', `--output-key-prefix=${join(other, 'cosign')}`], {
      env: { ...process.env, COSIGN_PASSWORD: '' },
    });
    renameSync(join(keys, 'cosign.pub'), join(keys, 'cosign.pub.real'));
    renameSync(join(other, 'cosign.pub'), join(keys, 'cosign.pub'));
    try {
      const failed = await release();
      assert.equal(failed.success, false);
      assert.match(failed.output, /no signature|verify/i);
      assert.match(failed.output, /:1\.2\.3 was not moved/);
    } finally {
      renameSync(join(keys, 'cosign.pub.real'), join(keys, 'cosign.pub'));
    }
    assert.equal(await readTagDigest(`${name}:1.2.3`, transport), first.manifestDigest);
    assert.equal(await readTagDigest(`${name}:1.2.3-arm64`, transport), first.digests['linux/arm64']);
    assert.equal(
      readRelease().manifestDigest,
      first.manifestDigest,
      'release.json still describes the last good release',
    );
  });
});
