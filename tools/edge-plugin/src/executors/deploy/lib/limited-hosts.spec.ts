import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseListedHosts } from './limited-hosts';

describe('parseListedHosts', () => {
  it('reads the host names under the header of ansible --list-hosts', () => {
    assert.deepEqual(parseListedHosts('  hosts (2):\n    edge-1\n    edge-3\n'), ['edge-1', 'edge-3']);
  });
});
