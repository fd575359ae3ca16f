import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildReleaseRecord, writeReleaseRecord } from './release-record';

describe('release record', () => {
  const record = buildReleaseRecord({
    service: 'hello-edge',
    version: '0.1.0',
    revision: 'abc',
    registry: '127.0.0.1:5000',
    repository: 'edgeship/hello-edge',
    tag: '0.1.0',
    manifestDigest: 'sha256:11',
    digests: { 'linux/arm64': 'sha256:22', 'linux/amd64': 'sha256:33' },
    build: { file: 'build.json', sha256: 'a'.repeat(64) },
    sbom: { file: 'sbom.cdx.json', sha256: 'b'.repeat(64) },
    tags: ['0.1.0', '0.1.0-arm64', '0.1.0-amd64'],
    signature: { verified: true, publicKey: '.edgeship/keys/cosign.pub', transparencyLog: false },
    releasedAt: '2024-01-01T00:00:00.000Z',
  });

  it('names the tag and the digest-pinned reference deploys should use', () => {
    assert.equal(record.image, '127.0.0.1:5000/edgeship/hello-edge:0.1.0');
    assert.equal(record.reference, '127.0.0.1:5000/edgeship/hello-edge@sha256:11');
    assert.equal(record.schema, 'edgeship.release/v1');
  });

  it('is written as dist/<svc>/release.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeship-release-'));
    const file = await writeReleaseRecord(dir, record);
    assert.equal(file, join(dir, 'release.json'));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), record);
  });
});
