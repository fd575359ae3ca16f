import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cosignGenerateArgs,
  cosignPublicKeyArgs,
  cosignSignArgs,
  cosignVerifyArgs,
  imagetoolsCreateArgs,
  imagetoolsDigestArgs,
  skopeoDigestArgs,
  skopeoPushArgs,
  skopeoRetagArgs,
} from './release-args';

const local = { isInsecure: true };
const remote = { isInsecure: false, authFile: '/tmp/auth/config.json' };

describe('skopeo arguments', () => {
  it('pushes the OCI archive as is, recording the digest the registry stored', () => {
    assert.deepEqual(skopeoPushArgs('/d/a.tar', 'r/x@sha256:1', '/w/d', local), [
      'copy',
      '--retry-times=2',
      '--dest-tls-verify=false',
      '--digestfile=/w/d',
      'oci-archive:/d/a.tar',
      'docker://r/x@sha256:1',
    ]);
    assert.ok(!skopeoPushArgs('a', 'b', 'c', local).some((a) => a.includes('compress')));
  });

  it('verifies TLS and reads credentials from a file (never argv) for remote registries', () => {
    const args = skopeoPushArgs('a', 'b', 'c', remote);
    assert.ok(args.includes('--dest-tls-verify=true'));
    assert.ok(args.includes('--dest-authfile=/tmp/auth/config.json'));
    assert.ok(!args.some((a) => a.startsWith('--dest-creds')));
  });

  it('moves a tag only with digests preserved, the whole list included', () => {
    const args = skopeoRetagArgs('r/x@sha256:1', 'r/x:1.0.0', remote);
    assert.ok(args.includes('--all') && args.includes('--preserve-digests'));
    assert.deepEqual(args.slice(-2), ['docker://r/x@sha256:1', 'docker://r/x:1.0.0']);
    assert.ok(args.includes('--src-authfile=/tmp/auth/config.json'));
    assert.deepEqual(skopeoDigestArgs('r/x:1', local).slice(0, 3), ['inspect', '--format', '{{.Digest}}']);
  });
});

describe('imagetools arguments', () => {
  it('lists the per-arch digests under one tag, through the chosen builder', () => {
    assert.deepEqual(imagetoolsCreateArgs('r/x:staging', ['r/x@sha256:a', 'r/x@sha256:b']), [
      'buildx',
      'imagetools',
      'create',
      '--tag',
      'r/x:staging',
      'r/x@sha256:a',
      'r/x@sha256:b',
    ]);
    assert.deepEqual(imagetoolsCreateArgs('t', ['s'], 'edge-arm64').slice(3, 5), ['--builder', 'edge-arm64']);
    assert.ok(imagetoolsDigestArgs('r/x:t').includes('{{json .Manifest}}'));
  });
});

describe('cosign arguments', () => {
  it('signs by digest, recursively, without the public transparency log', () => {
    const args = cosignSignArgs('/k/cosign.key', 'r/x@sha256:1', false);
    assert.deepEqual(args, [
      'sign',
      '--yes',
      '--key=/k/cosign.key',
      '--tlog-upload=false',
      '--recursive',
      'r/x@sha256:1',
    ]);
    assert.ok(cosignSignArgs('k', 'r', true).includes('--allow-http-registry'));
  });

  it('verifies offline against the project public key, as JSON', () => {
    const args = cosignVerifyArgs('/k/cosign.pub', 'r/x@sha256:1', false);
    assert.ok(args.includes('--insecure-ignore-tlog=true') && args.includes('--output=json'));
    assert.equal(args.at(-1), 'r/x@sha256:1');
  });

  it('makes and checks key pairs', () => {
    assert.deepEqual(cosignGenerateArgs('/k/cosign'), ['generate-key-pair', '--output-key-prefix=/k/cosign']);
    assert.deepEqual(cosignPublicKeyArgs('/k/cosign.key'), ['public-key', '--key=/k/cosign.key']);
  });
});
