import assert from 'node:assert/strict';
import { describe as suite, it } from 'node:test';
import {
  buildDockerLoadManifest,
  buildImageConfig,
  buildLayoutIndex,
  buildManifest,
  describe,
  MEDIA_TYPES,
  platformOf,
} from './oci-image';

const built = {
  architecture: 'arm64',
  os: 'linux',
  created: '2030-05-05T05:05:05.123456Z',
  config: {
    User: '10001:10001',
    Entrypoint: ['/opt/edgeship/node', '/app/main.js'],
    Labels: { a: 'b' },
    Healthcheck: { Test: ['NONE'] },
    OnBuild: null,
  },
  history: [
    {
      created: '2030-05-05T05:05:05Z',
      created_by: 'COPY app/ / # buildkit',
      comment: 'buildkit.dockerfile.v0',
    },
    { created: '2030-05-05T05:05:06Z', created_by: 'USER 10001:10001', empty_layer: true },
  ],
  'moby.buildkit.buildinfo.v1': 'e30=',
};

suite('buildImageConfig', () => {
  it('stamps every time with the commit time and keeps only run settings', () => {
    const config = JSON.parse(buildImageConfig(built, ['sha256:aa'], '2024-01-01T00:00:00Z'));
    assert.equal(config.created, '2024-01-01T00:00:00Z');
    assert.ok(config.history.every((h: { created: string }) => h.created === '2024-01-01T00:00:00Z'));
    assert.deepEqual(Object.keys(config.config), ['User', 'Entrypoint', 'Labels']);
    assert.equal(config['moby.buildkit.buildinfo.v1'], undefined);
    assert.deepEqual(config.rootfs, { type: 'layers', diff_ids: ['sha256:aa'] });
    assert.equal(config.history[1].empty_layer, true);
  });

  it('gives the same bytes for builds that differ only in time', () => {
    const later = {
      ...built,
      created: '2031-01-01T00:00:00Z',
      history: built.history.map((h) => ({ ...h, created: '2031-01-01T00:00:00Z' })),
    };
    assert.equal(buildImageConfig(built, ['sha256:aa'], 'T'), buildImageConfig(later, ['sha256:aa'], 'T'));
  });
});

suite('manifest, index and descriptors', () => {
  it('describes content by its sha256 and size', () => {
    assert.deepEqual(describe(MEDIA_TYPES.config, '{}'), {
      mediaType: MEDIA_TYPES.config,
      digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      size: 2,
    });
  });

  it('writes an OCI manifest and a layout index naming the image', () => {
    const config = describe(MEDIA_TYPES.config, '{}');
    const manifest = JSON.parse(
      buildManifest(config, [{ mediaType: MEDIA_TYPES.zstd, digest: 'sha256:bb', size: 3 }]),
    );
    assert.equal(manifest.mediaType, MEDIA_TYPES.manifest);
    assert.equal(manifest.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar+zstd');
    const index = JSON.parse(
      buildLayoutIndex(describe(MEDIA_TYPES.manifest, 'm'), 'edgeship/svc:1.0.0-arm64'),
    );
    assert.equal(
      index.manifests[0].annotations['org.opencontainers.image.ref.name'],
      'edgeship/svc:1.0.0-arm64',
    );
  });

  it('reads the platform from the config and writes docker load manifests', () => {
    assert.deepEqual(platformOf(built), { architecture: 'arm64', os: 'linux' });
    assert.deepEqual(JSON.parse(buildDockerLoadManifest('c.json', ['l0.tar'], 't:1')), [
      { Config: 'c.json', RepoTags: ['t:1'], Layers: ['l0.tar'] },
    ]);
  });
});
