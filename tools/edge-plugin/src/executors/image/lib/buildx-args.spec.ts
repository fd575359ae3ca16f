import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceImageBuildxArgs, formatEpoch, ociLabels, type BuildxOptions } from './buildx-args';

const base: BuildxOptions = {
  contextDir: '/ctx',
  platform: 'linux/arm64',
  tag: 'edgeship-build/svc:x',
  labels: {
    'org.opencontainers.image.version': '1.0.0',
    'org.opencontainers.image.created': '2024-01-01T00:00:00Z',
  },
  sourceDateEpoch: 1704067200,
  noCache: false,
};

describe('serviceImageBuildxArgs', () => {
  it('builds one platform, loads it, fetches nothing and ends with the context', () => {
    const args = serviceImageBuildxArgs(base);
    assert.deepEqual(args.slice(0, 2), ['buildx', 'build']);
    assert.equal(args[args.indexOf('--platform') + 1], 'linux/arm64');
    assert.ok(args.includes('--load'));
    assert.ok(!args.some((a) => a.startsWith('--pull')));
    assert.ok(args.includes('--provenance=false'));
    assert.equal(args[args.indexOf('--build-arg') + 1], 'SOURCE_DATE_EPOCH=1704067200');
    assert.equal(args.at(-1), '/ctx');
  });

  it('passes --builder only when a builder is named (remote BuildKit nodes)', () => {
    assert.ok(!serviceImageBuildxArgs(base).includes('--builder'));
    const args = serviceImageBuildxArgs({ ...base, builder: 'edge-arm64' });
    assert.equal(args[args.indexOf('--builder') + 1], 'edge-arm64');
    assert.ok(args.indexOf('--builder') < args.indexOf('--platform'));
  });

  it("builds in a docker context's own engine with docker --context, as buildx requires", () => {
    const args = serviceImageBuildxArgs({ ...base, context: 'arm64-box' });
    assert.deepEqual(args.slice(0, 4), ['--context', 'arm64-box', 'buildx', 'build']);
    assert.ok(!args.includes('--builder'));
  });

  it('adds labels in a stable order and --no-cache on request', () => {
    const args = serviceImageBuildxArgs({ ...base, noCache: true });
    const labels = args.flatMap((a, i) => (a === '--label' ? [args[i + 1]] : []));
    assert.deepEqual(labels, [
      'org.opencontainers.image.created=2024-01-01T00:00:00Z',
      'org.opencontainers.image.version=1.0.0',
    ]);
    assert.ok(args.includes('--no-cache'));
  });
});

describe('ociLabels', () => {
  it('derives created from SOURCE_DATE_EPOCH and carries source, revision, version', () => {
    assert.deepEqual(
      ociLabels({
        service: 'hello-edge',
        version: '0.1.0',
        revision: 'abc',
        source: 'https://x/y.git',
        sourceDateEpoch: 0,
      }),
      {
        'org.opencontainers.image.title': 'hello-edge',
        'org.opencontainers.image.version': '0.1.0',
        'org.opencontainers.image.created': '1970-01-01T00:00:00Z',
        'org.opencontainers.image.revision': 'abc',
        'org.opencontainers.image.source': 'https://x/y.git',
      },
    );
  });

  it('formats epochs as RFC 3339 without milliseconds', () => {
    assert.equal(formatEpoch(1704067200), '2024-01-01T00:00:00Z');
  });
});
