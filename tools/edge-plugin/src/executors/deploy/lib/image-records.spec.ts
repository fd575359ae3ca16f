import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachManifestDigests, findUnsignedImages, parseImageRecords } from './image-records';

const M1 = `sha256:${'1'.repeat(64)}`;
const M2 = `sha256:${'2'.repeat(64)}`;
const imageJson = JSON.stringify({
  images: [
    { platform: 'linux/arm64', archive: 'svc-linux-arm64.tar', manifestDigest: M1 },
    { platform: 'linux/amd64', archive: 'svc-linux-amd64.tar', manifestDigest: M2 },
    { platform: 'linux/s390x', archive: 'other.tar', manifestDigest: M2 },
  ],
});

describe('image records', () => {
  it('reads the archives and manifest digests the image target recorded, per OCI arch', () => {
    assert.deepEqual(parseImageRecords(imageJson), [
      { arch: 'arm64', archive: 'svc-linux-arm64.tar', manifestDigest: M1 },
      { arch: 'amd64', archive: 'svc-linux-amd64.tar', manifestDigest: M2 },
    ]);
  });

  it('attaches each manifest digest to its container artifact, leaving binaries alone', () => {
    const artifacts = {
      binary: { arm64: { path: '/d/bin/svc-linux-arm64', sha256: 'a' } },
      container: { amd64: { path: '/d/image/svc-linux-amd64.tar', sha256: 'b' } },
    };
    const attached = attachManifestDigests(artifacts, parseImageRecords(imageJson));
    assert.equal(attached.container?.amd64?.manifest_digest, M2);
    assert.equal(attached.container?.amd64?.repository, undefined, 'unsigned: nothing to pull');
    assert.deepEqual(attached.binary, artifacts.binary);
    const released = attachManifestDigests(artifacts, parseImageRecords(imageJson), 'edgeship/svc');
    assert.equal(released.container?.amd64?.repository, 'edgeship/svc');
  });

  it('names the archives whose manifest the release did not sign', () => {
    const records = parseImageRecords(imageJson);
    const release = {
      registry: '127.0.0.1:5000',
      repository: 'edgeship/svc',
      digests: { 'linux/arm64': M1, 'linux/amd64': M1 },
    };
    assert.deepEqual(findUnsignedImages(records, release), [
      `svc-linux-amd64.tar (${M2}, release has ${M1})`,
    ]);
    assert.deepEqual(
      findUnsignedImages(records, { ...release, digests: { 'linux/arm64': M1, 'linux/amd64': M2 } }),
      [],
    );
  });
});
