import type { ExecutorContext } from '@nx/devkit';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { scratchProjectContext } from '../../../lib/scratch-project';
import { normalizeOptions } from './normalize-options';

function contextFor(manifest: Record<string, unknown>): ExecutorContext {
  return scratchProjectContext('svc', manifest);
}

const service = {
  name: 'svc',
  version: '1.0.0',
  edgeship: { kind: 'service', port: 8102, delivery: 'container' },
};

describe('normalizeOptions', () => {
  it("takes name, version, port and delivery from the service's marker and defaults to the local fleet", () => {
    const context = contextFor(service);
    const options = normalizeOptions({}, context);
    assert.deepEqual(options.service, {
      ...{ name: 'svc', version: '1.0.0', port: 8102, delivery: 'container' },
      stateDirectory: false,
    });
    assert.equal(options.isDeliveryForced, false);
    assert.deepEqual(options.inventories, [
      join(context.root, '.edgeship', 'fleet', 'default', 'inventory.yml'),
    ]);
    assert.deepEqual(options.serial, [1, '100%']);
    assert.equal(options.artifactDir, join(context.root, 'dist', 'svc'));
    assert.equal(options.reportFile, join(context.root, 'dist', 'svc', 'deploy-report.json'));
  });

  it('resolves given inventories against the workspace and honours a forced delivery', () => {
    const context = contextFor(service);
    const options = normalizeOptions(
      { inventory: ['inv/a.yml', '/abs/b.yml'], delivery: 'binary', serial: 2 },
      context,
    );
    assert.deepEqual(options.inventories, [join(context.root, 'inv/a.yml'), '/abs/b.yml']);
    assert.equal(options.service.delivery, 'binary');
    assert.equal(options.isDeliveryForced, true);
    assert.deepEqual(options.serial, [2]);
  });

  it('takes --version when it is a semver version (it overrides the build record version)', () => {
    assert.equal(
      normalizeOptions({ version: '1.0.1-rc.1' }, contextFor(service)).versionOverride,
      '1.0.1-rc.1',
    );
    assert.equal(normalizeOptions({}, contextFor(service)).versionOverride, undefined);
  });

  for (const version of ['1.0.0\nX=1', '1.0.0/../../x']) {
    it(`refuses --version ${JSON.stringify(version)} before anything runs, saying what a version looks like`, () => {
      assert.throws(
        () => normalizeOptions({ version }, contextFor(service)),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(
            error.message.split('. ')[0],
            `svc deploy options (--version): version is ${JSON.stringify(version)}`,
          );
          assert.match(error.message, /Use a semver version: MAJOR\.MINOR\.PATCH/);
          return true;
        },
      );
    });
  }

  it('refuses a library: only services deploy', () => {
    const context = contextFor({ name: 'lib', version: '1.0.0', edgeship: { kind: 'library' } });
    assert.throws(
      () => normalizeOptions({}, context),
      /packages\/svc\/package\.json: edgeship\.kind is "library"/,
    );
  });
});
