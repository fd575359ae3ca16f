import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { executorContext, createFixtureWorkspace } from '@edgeship/edge-common/testing';
import { localTag, normalizeImageOptions } from './normalize-options';
import { PLATFORMS } from './platforms';

function workspace(withBundle = true, kind = 'service'): string {
  return createFixtureWorkspace({
    'package.json': { name: 'ws', edgeship: { runtime: { node: '24.21.0' } } },
    'packages/svc/package.json': { name: 'svc', version: '2.0.0', edgeship: { kind, port: 8123 } },
    ...(withBundle ? { 'dist/svc/bundle/main.js': 'console.log(1)' } : {}),
  });
}

const context = (root: string) => executorContext(root, 'svc', 'packages/svc');

describe('normalizeImageOptions', () => {
  it('defaults: both platforms arm64 first, zstd -19, local repository edgeship/<svc>, dist/<svc>/image', () => {
    const root = workspace();
    const options = normalizeImageOptions({}, context(root), { EDGESHIP_CACHE_DIR: '/tmp/c' });
    assert.deepEqual(
      options.platforms.map((p) => p.platform),
      ['linux/arm64', 'linux/amd64'],
    );
    assert.equal(options.compression, 'zstd');
    assert.equal(options.compressionLevel, 19);
    assert.equal(options.repository, 'edgeship/svc');
    assert.equal(options.outputDir, `${root}/dist/svc/image`);
    assert.equal(options.version, '2.0.0');
    assert.equal(options.port, 8123);
    assert.equal(options.runtimeVersion, '24.21.0');
    assert.equal(options.cacheRoot, '/tmp/c');
    assert.equal(localTag(options, PLATFORMS['linux/arm64']), 'edgeship/svc:2.0.0-arm64');
  });

  it('says to build the bundle first when the service has none', () => {
    assert.throws(
      () => normalizeImageOptions({}, context(workspace(false))),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /dist\/svc\/bundle\/main\.js: bundle output is missing\. Build the bundle first: npx nx run svc:bundle/,
        );
        return true;
      },
    );
  });

  it('refuses an unknown platform, a bad compression level, a bad builder name and libraries', () => {
    const root = workspace();
    assert.throws(
      () => normalizeImageOptions({ platforms: ['linux/s390x'] }, context(root)),
      /platforms is "linux\/s390x"/,
    );
    assert.throws(
      () => normalizeImageOptions({ compression: 'gzip', compressionLevel: 19 }, context(root)),
      /1 to 9 for gzip/,
    );
    assert.throws(() => normalizeImageOptions({ builder: 'a b' }, context(root)), /docker buildx ls/);
    assert.throws(
      () => normalizeImageOptions({}, context(workspace(true, 'library'))),
      /Only services get images/,
    );
  });
});
