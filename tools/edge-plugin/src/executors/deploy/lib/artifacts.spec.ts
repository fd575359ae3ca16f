import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hashFile } from '../../bundle/lib/runtime-cache';
import { findRecordedChecksum, listArtifactFiles, readManifests, resolveArtifacts } from './artifacts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('listArtifactFiles', () => {
  it('follows the bundle and image layout, in OCI arch names', () => {
    const files = listArtifactFiles('/d', 'svc', ['binary', 'container']);
    assert.deepEqual(
      files.map((f) => `${f.delivery} ${f.arch} ${f.path}`),
      [
        'binary arm64 /d/bin/svc-linux-arm64',
        'binary amd64 /d/bin/svc-linux-x64',
        'container arm64 /d/image/svc-linux-arm64.tar',
        'container amd64 /d/image/svc-linux-amd64.tar',
      ],
    );
  });
});

describe('findRecordedChecksum', () => {
  it('reads sha256sum lines, text and binary mode', () => {
    const sums = { file: '/d/bin/SHA256SUMS', text: `${A}  svc-linux-arm64\n${B} *svc-linux-x64\n` };
    assert.equal(findRecordedChecksum('/d/bin/svc-linux-arm64', [sums]), A);
    assert.equal(findRecordedChecksum('/d/bin/svc-linux-x64', [sums]), B);
    assert.equal(findRecordedChecksum('/d/bin/other', [sums]), undefined);
  });

  it('finds an artifact entry anywhere in release.json, with or without the sha256: prefix', () => {
    const release = {
      file: '/d/release.json',
      text: JSON.stringify({
        images: [{ file: 'image/svc-linux-amd64.tar', digest: `sha256:${B}` }],
        bin: { arm64: { path: 'bin/svc-linux-arm64', sha256: A } },
      }),
    };
    assert.equal(findRecordedChecksum('/d/image/svc-linux-amd64.tar', [release]), B);
    assert.equal(findRecordedChecksum('/d/bin/svc-linux-arm64', [release]), A);
    assert.equal(findRecordedChecksum('/d/image/svc-linux-arm64.tar', [release]), undefined);
  });
});

describe('resolveArtifacts', () => {
  it('takes recorded checksums, hashes unrecorded files and lists missing ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-artifacts-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'svc-linux-arm64'), 'arm');
    writeFileSync(join(dir, 'bin', 'svc-linux-x64'), 'x64');
    writeFileSync(join(dir, 'bin', 'SHA256SUMS'), `${A}  svc-linux-arm64\n`);
    const files = listArtifactFiles(dir, 'svc', ['binary', 'container']);
    const resolved = await resolveArtifacts(files, readManifests(dir));
    assert.equal(resolved.artifacts.binary?.arm64?.sha256, A);
    assert.equal(resolved.artifacts.binary?.amd64?.sha256, await hashFile(join(dir, 'bin', 'svc-linux-x64')));
    assert.deepEqual(resolved.unrecorded, [join(dir, 'bin', 'svc-linux-x64')]);
    assert.equal(resolved.missing.length, 2);
    assert.equal(resolved.artifacts.container, undefined);
  });
});
