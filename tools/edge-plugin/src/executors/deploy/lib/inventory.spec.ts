import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { readInventoryHosts } from './inventory';

const dir = mkdtempSync(join(tmpdir(), 'deploy-inventory-'));
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('readInventoryHosts', () => {
  it('lists the hosts of a group, its children included', () => {
    const file = write(
      'ok.yml',
      'all:\n  children:\n    edge:\n      hosts:\n        n-1: {}\n      children:\n        arm64:\n          hosts:\n            n-2:\n    other:\n      hosts:\n        x: {}\n',
    );
    assert.deepEqual(readInventoryHosts(file, 'edge', dir), ['n-1', 'n-2']);
    assert.deepEqual(readInventoryHosts(file, 'all', dir), ['n-1', 'n-2', 'x']);
    assert.deepEqual(readInventoryHosts(file, 'missing', dir), []);
  });

  it('names the file and line of YAML that does not parse', () => {
    const file = write('bad.yml', 'all:\n  children:\n    edge:\n      hosts: [a\n');
    assert.throws(
      () => readInventoryHosts(file, 'edge', dir),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^bad\.yml: line \d+/);
        return true;
      },
    );
  });

  it('refuses a YAML inventory without all:, and a missing file', () => {
    assert.throws(
      () => readInventoryHosts(write('noall.yml', 'edge:\n  hosts: {}\n'), 'edge', dir),
      /noall\.yml: all is missing/,
    );
    assert.throws(
      () => readInventoryHosts(join(dir, 'nope.yml'), 'edge', dir),
      /nope\.yml: inventory is missing/,
    );
  });

  it('leaves INI inventories to Ansible', () => {
    assert.equal(readInventoryHosts(write('hosts.ini', '[edge]\nn-1\n'), 'edge', dir), undefined);
  });
});
