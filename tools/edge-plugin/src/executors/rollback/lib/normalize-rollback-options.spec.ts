import type { ExecutorContext } from '@nx/devkit';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scratchProjectContext } from '../../../lib/scratch-project';
import { normalizeRollbackOptions, rollbackKey } from './normalize-rollback-options';

function contextFor(name: string, marker: Record<string, unknown>): ExecutorContext {
  return scratchProjectContext(name, { name, version: '1.0.0', edgeship: marker });
}

const SERVICE = { kind: 'service', port: 8102, delivery: 'binary' };

describe('normalizeRollbackOptions', () => {
  it('reads the service from its marker; the local fleet, canary first, the previous release by default', () => {
    const context = contextFor('svc', SERVICE);
    const options = normalizeRollbackOptions({}, context);
    assert.deepEqual(options.service, { name: 'svc', port: 8102, stateDirectory: false });
    assert.deepEqual(options.inventories, [
      join(context.root, '.edgeship', 'fleet', 'default', 'inventory.yml'),
    ]);
    assert.deepEqual(options.serial, [1, '100%']);
    assert.equal(options.to, undefined);
    // Not set: left to the role's defaults/main.yml (60 s), which inventory group_vars may override.
    assert.equal(options.healthTimeout, undefined);
  });

  it('takes --to as a version or a release id', () => {
    const context = contextFor('svc', SERVICE);
    assert.equal(normalizeRollbackOptions({ to: '1.2.0' }, context).to, '1.2.0');
    assert.equal(normalizeRollbackOptions({ to: ' 1.2.0-3f9a0c2b1d4e ' }, context).to, '1.2.0-3f9a0c2b1d4e');
  });

  it('refuses a --to no release directory could be named, before reading any node', () => {
    const context = contextFor('svc', SERVICE);
    assert.throws(
      () => normalizeRollbackOptions({ to: '../1.0.0' }, context),
      /rollback of svc: --to is "\.\.\/1\.0\.0"\. Name a kept release by its version/,
    );
  });

  it('refuses a project that is not a service, naming its package.json', () => {
    assert.throws(
      () => normalizeRollbackOptions({}, contextFor('kit', { kind: 'library' })),
      /packages\/kit\/package.json: edgeship.kind is "library"/,
    );
  });

  it('rollbackKey: services sharing inventory and options roll back together, whatever their --to', () => {
    const a = normalizeRollbackOptions({ inventory: 'x.yml' }, contextFor('a', SERVICE));
    const other = { name: 'other', port: 8109, stateDirectory: true };
    assert.equal(rollbackKey(a), rollbackKey({ ...a, service: other, to: '1.0.0' }));
    assert.notEqual(rollbackKey(a), rollbackKey({ ...a, limit: 'n1' }));
  });
});
