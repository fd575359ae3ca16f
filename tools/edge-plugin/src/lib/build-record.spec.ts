import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  readBuildRecord,
  readImageRecord,
  readSignedRecord,
  sameArtifacts,
  writeImageRecord,
  type ImageRecord,
} from './build-record';

const dist = mkdtempSync(join(tmpdir(), 'edgeship-build-record-'));
const sha = (c: string) => c.repeat(64);
const executables = {
  schema: 'edgeship.executables/v1',
  service: 'hello-edge',
  version: '1.2.3',
  revision: '0123456789ab',
  runtime: { node: '24.21.0' },
  executables: [{ arch: 'arm64', file: 'bin/hello-edge-linux-arm64', sha256: sha('a') }],
};
const image = {
  schema: 'edgeship.image/v1',
  version: '1.2.3',
  revision: '0123456789abcdef0123456789abcdef01234567',
  images: [
    {
      platform: 'linux/amd64',
      archive: 'hello-edge-linux-amd64.tar',
      sha256: sha('b'),
      manifestDigest: `sha256:${sha('c')}`,
    },
  ],
};
const write = (file: string, value: unknown) => {
  mkdirSync(join(dist, file, '..'), { recursive: true });
  writeFileSync(join(dist, file), JSON.stringify(value));
};

describe('build record', () => {
  after(() => rmSync(dist, { recursive: true, force: true }));

  it('is undefined before the bundle ran', () => {
    assert.equal(readBuildRecord(dist), undefined);
  });

  it("joins the bundle's and the image target's parts of the same commit", () => {
    write('bin/executables.json', executables);
    write('image/image.json', image);
    const record = readBuildRecord(dist, 'dist/hello-edge');
    assert.deepEqual(record?.executables, executables.executables);
    assert.deepEqual(record?.images, [
      {
        arch: 'amd64',
        file: 'image/hello-edge-linux-amd64.tar',
        sha256: sha('b'),
        manifestDigest: `sha256:${sha('c')}`,
      },
    ]);
  });

  it('leaves out an image part of another build', () => {
    write('image/image.json', { ...image, revision: 'ffffffffffffffffffffffffffffffffffffffff' });
    assert.deepEqual(readBuildRecord(dist)?.images, []);
    write('image/image.json', { ...image, revision: `${image.revision}-dirty` });
    assert.deepEqual(readBuildRecord(dist)?.images, []);
    write('image/image.json', image);
  });

  it('names the file and field of a bad entry: a path outside the output folder, a short digest, a bad version', () => {
    const bad = (change: Record<string, unknown>, pattern: RegExp) => {
      write('bin/executables.json', { ...executables, ...change });
      assert.throws(() => readBuildRecord(dist, 'dist/hello-edge'), pattern);
    };
    bad(
      { executables: [{ ...executables.executables[0], file: 'bin/../../etc/passwd' }] },
      /dist\/hello-edge\/bin\/executables\.json: executables\[0\]\.file is "bin\/\.\.\/\.\.\/etc\/passwd"/,
    );
    bad(
      { executables: [{ ...executables.executables[0], sha256: 'abc' }] },
      /executables\[0\]\.sha256 is "abc"\. Expected 64 hex digits/,
    );
    bad({ version: '1.2.3\nX=1' }, /version is "1\.2\.3\\nX=1"\. Use a semver version/);
    bad({ schema: 'other' }, /schema is "other"/);
    write('bin/executables.json', executables);
  });

  it('tells a signed record that names other artifacts from the build in dist', () => {
    const built = readBuildRecord(dist)!;
    write('build.json', { ...built, sbom: { file: 'sbom.cdx.json', sha256: sha('d') } });
    assert.equal(sameArtifacts(readSignedRecord(join(dist, 'build.json'), 'build.json'), built), true);
    const changed = { ...built, executables: [{ ...built.executables[0]!, sha256: sha('e') }] };
    write('build.json', changed);
    assert.equal(sameArtifacts(readSignedRecord(join(dist, 'build.json'), 'build.json'), built), false);
  });
});

describe('image record', () => {
  it('round-trips through image.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeship-record-'));
    const record: ImageRecord = {
      schema: 'edgeship.image/v1',
      service: 'svc',
      version: '1.0.0',
      sourceDateEpoch: 0,
      created: '1970-01-01T00:00:00Z',
      runtime: { node: '24.21.0' },
      base: {},
      images: [],
    };
    await writeImageRecord(dir, record);
    assert.deepEqual(await readImageRecord(dir), record);
  });

  it('refuses a file that is not an image record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeship-record-'));
    writeFileSync(join(dir, 'image.json'), '{"schema":"other"}');
    await assert.rejects(readImageRecord(dir), /not an edgeship image record/);
  });
});
