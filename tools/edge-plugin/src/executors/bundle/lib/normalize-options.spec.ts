import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { executorContext, writeFixtureFile } from '@edgeship/edge-common/testing';
import { normalizeOptions, resolveOutputDir } from './normalize-options';
import { createTempWorkspace } from '../test/temp-folders';

function createWorkspace(): string {
  return createTempWorkspace({
    'package.json': { name: 'ws', edgeship: { runtime: { node: '24.21.0' } } },
    'tsconfig.base.json': { compilerOptions: {} },
    'packages/svc/package.json': { name: 'svc', version: '1.0.0', edgeship: { kind: 'service', port: 8101 } },
    'packages/svc/src/main.ts': '',
    'packages/lib/package.json': { name: 'lib', edgeship: { kind: 'library' } },
  });
}

describe('normalizeOptions', () => {
  it('fills the defaults from the workspace', () => {
    const root = createWorkspace();
    const options = normalizeOptions(
      {},
      executorContext(root, 'svc', 'packages/svc'),
      { EDGESHIP_CACHE_DIR: '/c' },
      'x64',
    );
    assert.equal(options.entry, join(root, 'packages/svc/src/main.ts'));
    assert.equal(options.outputDir, join(root, 'dist/svc'));
    assert.equal(options.tsconfig, join(root, 'tsconfig.base.json'));
    assert.deepEqual(options.archs, ['arm64', 'x64']);
    assert.equal(options.blobArch, 'x64');
    assert.equal(options.runtime.version, '24.21.0');
    assert.equal(options.cacheRoot, '/c');
    assert.equal(options.delivery, 'binary');
    assert.equal(options.minify, true);
    assert.equal(options.sourcemap, true);
    assert.equal(options.checkContract, true);
    assert.equal(options.contractTimeoutMs, 30_000);
  });

  it('names a contract check bound that is not a whole number of milliseconds', () => {
    const root = createWorkspace();
    assert.throws(
      () =>
        normalizeOptions({ contractTimeoutMs: 5.5 }, executorContext(root, 'svc', 'packages/svc'), {}, 'x64'),
      /packages\/svc bundle options: contractTimeoutMs is 5\.5\. Give a whole number of milliseconds, at least 1000/,
    );
  });

  it("prefers the project's own tsconfig and accepts an absolute outputPath", () => {
    const root = createWorkspace();
    writeFixtureFile(root, 'packages/svc/tsconfig.json', {});
    const options = normalizeOptions(
      { outputPath: '/tmp/out' },
      executorContext(root, 'svc', 'packages/svc'),
      {},
      'x64',
    );
    assert.equal(options.tsconfig, join(root, 'packages/svc/tsconfig.json'));
    assert.equal(options.outputDir, '/tmp/out');
  });

  it('names a missing entry point and the fix', () => {
    const root = createWorkspace();
    assert.throws(
      () =>
        normalizeOptions({ entry: 'src/server.ts' }, executorContext(root, 'svc', 'packages/svc'), {}, 'x64'),
      /packages\/svc\/src\/server\.ts: entry point is missing\. Create it .*"entry" option/,
    );
  });

  it('refuses a library', () => {
    const root = createWorkspace();
    assert.throws(
      () => normalizeOptions({}, executorContext(root, 'lib', 'packages/lib'), {}, 'x64'),
      /packages\/lib\/package\.json: edgeship\.kind is "library"\. Only services are bundled/,
    );
  });

  it('names an unsupported arch', () => {
    const root = createWorkspace();
    assert.throws(
      () =>
        normalizeOptions(
          { archs: ['arm' as 'arm64'] },
          executorContext(root, 'svc', 'packages/svc'),
          {},
          'x64',
        ),
      /archs is "arm"\. Supported architectures are arm64, x64/,
    );
  });

  it('names a bad runtime pin', () => {
    const root = createWorkspace();
    writeFixtureFile(root, 'package.json', { name: 'ws', edgeship: { runtime: { node: 'lts' } } });
    assert.throws(
      () => normalizeOptions({}, executorContext(root, 'svc', 'packages/svc'), {}, 'x64'),
      /edgeship\.runtime\.node is "lts"/,
    );
  });

  it("refuses an outputPath whose bundle/ and bin/ would be the workspace's or the project's own", () => {
    const root = createWorkspace();
    for (const outputPath of ['.', '..', 'packages/svc', 'packages']) {
      assert.throws(
        () => resolveOutputDir({ outputPath }, executorContext(root, 'svc', 'packages/svc')),
        /packages\/svc bundle options: outputPath is .*Point it at a folder of its own/,
        outputPath,
      );
    }
    assert.equal(
      resolveOutputDir({ outputPath: 'out/svc' }, executorContext(root, 'svc', 'packages/svc')),
      join(root, 'out/svc'),
    );
  });
});
