import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { checkOwnedBy } from './docker';

describe('checkOwnedBy', () => {
  it('accepts objects of this workspace and unlabelled ones', () => {
    checkOwnedBy(
      'lab',
      '/ws/a',
      [
        { name: 'edgeship-lab-1', workspace: '/ws/a' },
        { name: 'edgeship-lab-net', workspace: '' },
      ],
      'edge-fleet up',
    );
  });

  it('refuses a fleet of the same name brought up from another clone, naming it and the way out', () => {
    assert.throws(
      () => checkOwnedBy('lab', '/ws/a', [{ name: 'edgeship-lab-1', workspace: '/ws/b' }], 'edge-fleet down'),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.startsWith(
          'edge-fleet down: --name is "lab". Fleet "lab" belongs to the workspace /ws/b',
        ) &&
        error.message.includes('docker rm -f edgeship-lab-1'),
    );
  });
});
