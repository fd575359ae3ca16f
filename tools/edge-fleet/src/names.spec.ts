import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerNameOf, networkNameOf, parseNodeRef, validateFleetName } from './names';

describe('names', () => {
  it('names containers edgeship-<fleet>-<n> and the network edgeship-<fleet>-net', () => {
    assert.equal(containerNameOf('lab', 3), 'edgeship-lab-3');
    assert.equal(networkNameOf('lab'), 'edgeship-lab-net');
  });

  it('accepts plain names and refuses ones docker or the node numbering would trip on', () => {
    for (const ok of ['default', 'lab', 'fleet-test', 'a1', 'x-y-z']) assert.equal(validateFleetName(ok), ok);
    for (const bad of ['', 'Lab', '1lab', 'lab_', 'la--b', 'lab-', 'lab-2', 'a'.repeat(25), '../x']) {
      assert.throws(() => validateFleetName(bad), /--name/, bad);
    }
  });

  it('finds a node by number or by container name', () => {
    assert.equal(parseNodeRef('lab', '2'), 2);
    assert.equal(parseNodeRef('lab', 'edgeship-lab-3'), 3);
    assert.throws(() => parseNodeRef('lab', 'edgeship-other-1'), /Name a node of fleet "lab"/);
    assert.throws(() => parseNodeRef('lab', '0'), /<node> is "0"/);
  });
});
