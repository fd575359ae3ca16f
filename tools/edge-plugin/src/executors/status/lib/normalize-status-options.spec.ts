import type { ExecutorContext } from '@nx/devkit';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scratchProjectContext } from '../../../lib/scratch-project';
import { normalizeStatusOptions, statusKey } from './normalize-status-options';

function contextFor(name: string, marker: Record<string, unknown>): ExecutorContext {
  return scratchProjectContext(name, { name, version: '1.0.0', edgeship: marker });
}

const SERVICE = { kind: 'service', port: 8102, delivery: 'binary' };

describe('normalizeStatusOptions', () => {
  it("reads name and port from the service's marker and defaults to the local fleet, no history", () => {
    const context = contextFor('svc', SERVICE);
    const options = normalizeStatusOptions({}, context);
    assert.deepEqual(options.service, { name: 'svc', port: 8102 });
    assert.deepEqual(options.inventories, [
      join(context.root, '.edgeship', 'fleet', 'default', 'inventory.yml'),
    ]);
    assert.equal(options.hosts, 'edge');
    assert.equal(options.history, 0);
  });

  it('--html: the page is written where asked, relative to the workspace root; none by default', () => {
    const context = contextFor('svc', SERVICE);
    assert.equal(normalizeStatusOptions({}, context).html, undefined);
    assert.equal(
      normalizeStatusOptions({ html: 'dist/status.html' }, context).html,
      join(context.root, 'dist', 'status.html'),
    );
    assert.equal(normalizeStatusOptions({ html: '/tmp/s.html' }, context).html, '/tmp/s.html');
  });

  it('refuses a project that is not a service, naming its package.json', () => {
    assert.throws(
      () => normalizeStatusOptions({}, contextFor('kit', { kind: 'library' })),
      /packages\/kit\/package.json: edgeship.kind is "library"\. Only services deploy/,
    );
  });

  it('refuses a --history that is not a whole number from 0 to 100', () => {
    const context = contextFor('svc', SERVICE);
    assert.throws(
      () => normalizeStatusOptions({ history: -1 }, context),
      /--history is -1\. Give a whole number/,
    );
    assert.throws(() => normalizeStatusOptions({ history: 2.5 }, context), /--history is 2.5/);
  });

  it('statusKey: services that share inventory and options are read together, whatever the service', () => {
    const a = normalizeStatusOptions({ inventory: 'x.yml' }, contextFor('a', SERVICE));
    assert.equal(statusKey(a), statusKey({ ...a, service: { name: 'other', port: 8109 } }));
    assert.notEqual(statusKey(a), statusKey({ ...a, history: 3 }));
    assert.notEqual(statusKey(a), statusKey({ ...a, limit: 'n1' }));
  });
});
