/**
 * edge_artifact_info (playbooks/roles/edge_service/library) run by real Ansible on real tar archives: the
 * archives are OCI layouts written with the image target's own functions and packed with GNU tar, then
 * tampered with the way an attacker who can write dist/ would (links, a duplicated name). Needs ansible.
 */
import assert from 'node:assert/strict';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  buildLayoutIndex,
  buildManifest,
  describe as describeBlob,
  MEDIA_TYPES,
  type Descriptor,
} from '@edgeship/edge-plugin/executors/image/lib/oci-image';
import { sha256Text } from '@edgeship/edge-plugin/executors/image/lib/reproducible-tar';
import { runCommand } from '@edgeship/edge-common';

const LIBRARY = join(__dirname, '..', 'roles', 'edge_service', 'library');

interface ModuleResult {
  failed?: boolean;
  msg?: string;
  arch?: string;
  image_id?: string;
  manifest_digest?: string;
}

/** One ad-hoc call of the module on the controller, as the role's preflight makes it (delegated to localhost). */
async function inspectImage(archive: string): Promise<ModuleResult> {
  const result = await runCommand(
    'ansible',
    ['localhost', '-i', 'localhost,', '-c', 'local', '-M', LIBRARY, '-m', 'edge_artifact_info'].concat([
      '-a',
      `path=${archive} kind=image`,
    ]),
    {
      check: false,
      timeoutMs: 120_000,
      env: {
        ...process.env,
        // An empty configuration: what the module does must not depend on the machine's ansible.cfg.
        ANSIBLE_CONFIG: join(workDir, 'ansible.cfg'),
        ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
        ANSIBLE_STDOUT_CALLBACK: 'json',
        ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
        ANSIBLE_NOCOLOR: '1',
      },
    },
  );
  const report = JSON.parse(result.stdout) as {
    plays: { tasks: { hosts: Record<string, ModuleResult> }[] }[];
  };
  const outcome = report.plays[0]!.tasks[0]!.hosts['localhost']!;
  assert.equal(result.exitCode === 0, !outcome.failed, result.stdout + result.stderr);
  return outcome;
}

/** The blobs of one image (a layer, its config, its manifest), as the image target writes them. */
interface ImageBlobs {
  manifest: Descriptor;
  config: Descriptor;
  files: Record<string, string>;
}

function createImageBlobs(architecture: string): ImageBlobs {
  const layerBytes = `layer of the ${architecture} image`;
  const layer: Descriptor = {
    mediaType: MEDIA_TYPES.gzip,
    digest: sha256Text(layerBytes),
    size: layerBytes.length,
  };
  const configBytes = JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  const config = describeBlob(MEDIA_TYPES.config, configBytes);
  const manifestBytes = buildManifest(config, [layer]);
  const manifest = describeBlob(MEDIA_TYPES.manifest, manifestBytes);
  return {
    manifest,
    config,
    files: {
      [blobPath(layer)]: layerBytes,
      [blobPath(config)]: configBytes,
      [blobPath(manifest)]: manifestBytes,
    },
  };
}

function blobPath(descriptor: Descriptor): string {
  return `blobs/sha256/${descriptor.digest.slice('sha256:'.length)}`;
}

let workDir: string;
/** The image the release signed (arm64) and another one (amd64) an attacker would rather deliver. */
let signed: ImageBlobs;
let other: ImageBlobs;

/** Writes files into a fresh folder and packs the names given, in that order, with GNU tar. */
async function packArchive(
  name: string,
  files: Record<string, string>,
  members: string[],
  prepare?: (dir: string) => Promise<void>,
): Promise<string> {
  const dir = join(workDir, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await prepare?.(dir);
  const archive = join(workDir, `${name}.tar`);
  await runCommand('tar', [
    '--create',
    `--file=${archive}`,
    `--directory=${dir}`,
    '--format=gnu',
    ...members,
  ]);
  return archive;
}

function layoutFiles(index: Descriptor): Record<string, string> {
  return {
    'oci-layout': JSON.stringify({ imageLayoutVersion: '1.0.0' }),
    'index.json': buildLayoutIndex(index, 'edgeship/fixture:1.0.0'),
  };
}

describe('edge_artifact_info reads what it verifies (real ansible, real tar)', () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-artifact-info-'));
    await writeFile(join(workDir, 'ansible.cfg'), '[defaults]\n');
    signed = createImageBlobs('arm64');
    other = createImageBlobs('amd64');
  });
  after(() => rm(workDir, { recursive: true, force: true }));

  it('returns the manifest digest and image ID of an intact OCI archive', async () => {
    const files = { ...layoutFiles(signed.manifest), ...signed.files };
    const archive = await packArchive('intact', files, ['oci-layout', 'index.json', 'blobs']);
    const result = await inspectImage(archive);
    assert.equal(result.failed, undefined, result.msg);
    assert.equal(result.manifest_digest, signed.manifest.digest);
    assert.equal(result.image_id, signed.config.digest);
    assert.equal(result.arch, 'arm64');
  });

  it('refuses a signed manifest blob that is a hard link to another manifest', async () => {
    // index.json names the signed manifest; its blob is a hard link to the other image's manifest, which tar
    // writes as a link member because the other name comes first.
    const files = { ...layoutFiles(signed.manifest), ...other.files };
    const archive = await packArchive(
      'hard-linked-manifest',
      files,
      ['oci-layout', 'index.json', ...Object.keys(other.files), blobPath(signed.manifest)],
      (dir) => link(join(dir, blobPath(other.manifest)), join(dir, blobPath(signed.manifest))),
    );
    const result = await inspectImage(archive);
    assert.equal(result.failed, true);
    assert.match(
      result.msg!,
      new RegExp(
        `member ${blobPath(signed.manifest)} is a hard link to ${blobPath(other.manifest)}; an image archive holds regular files only`,
      ),
    );
  });

  it('refuses a blob that is a symlink', async () => {
    // The signed manifest is intact; its config blob points at the other image's config.
    const { [blobPath(signed.config)]: _config, ...rest } = signed.files;
    const files = {
      ...layoutFiles(signed.manifest),
      ...rest,
      [blobPath(other.config)]: other.files[blobPath(other.config)]!,
    };
    const archive = await packArchive(
      'symlinked-config',
      files,
      ['oci-layout', 'index.json', 'blobs'],
      (dir) => symlink(other.config.digest.slice('sha256:'.length), join(dir, blobPath(signed.config))),
    );
    const result = await inspectImage(archive);
    assert.equal(result.failed, true);
    assert.match(
      result.msg!,
      new RegExp(`member blobs/sha256/\\w+ is a symlink to \\w+; an image archive holds regular files only`),
    );
  });

  it('refuses a member written twice (two index.json naming different manifests)', async () => {
    const files = { ...layoutFiles(signed.manifest), ...signed.files, ...other.files };
    const archive = await packArchive('duplicated-index', files, ['oci-layout', 'index.json', 'blobs']);
    // A second index.json appended after the first: tarfile reads the last copy, a streaming reader the first.
    const second = join(workDir, 'second-index');
    await mkdir(second);
    await writeFile(join(second, 'index.json'), buildLayoutIndex(other.manifest, 'edgeship/fixture:1.0.0'));
    await runCommand('tar', ['--append', `--file=${archive}`, `--directory=${second}`, 'index.json']);
    const result = await inspectImage(archive);
    assert.equal(result.failed, true);
    assert.match(result.msg!, /member index\.json occurs more than once; each name must be written once/);
  });

  it('still reads a docker-archive (./-prefixed names, as `tar -C dir .` writes them)', async () => {
    const configBytes = other.files[blobPath(other.config)]!;
    const files = {
      'manifest.json': JSON.stringify([{ Config: 'config.json', RepoTags: ['x:1'], Layers: [] }]),
      'config.json': configBytes,
    };
    const result = await inspectImage(await packArchive('docker-archive', files, ['.']));
    assert.equal(result.failed, undefined, result.msg);
    assert.equal(result.image_id, other.config.digest);
    assert.equal(result.manifest_digest, '');
  });

  it('refuses a manifest whose bytes do not match the digest index.json names', async () => {
    // The other manifest's bytes stored under the signed manifest's name, as a regular file.
    const files = {
      ...layoutFiles(signed.manifest),
      ...other.files,
      [blobPath(signed.manifest)]: other.files[blobPath(other.manifest)]!,
    };
    const archive = await packArchive('renamed-manifest', files, ['oci-layout', 'index.json', 'blobs']);
    const result = await inspectImage(archive);
    assert.equal(result.failed, true);
    assert.match(result.msg!, new RegExp(`blob ${blobPath(signed.manifest)} does not match its digest`));
  });
});
