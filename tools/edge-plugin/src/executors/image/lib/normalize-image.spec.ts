import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYER_ROLES } from '../../../lib/build-record';
import { layerEpoch } from './normalize-image';

describe('layerEpoch', () => {
  it('keeps shared layers on a fixed time and stamps the service layer with the commit time', () => {
    assert.deepEqual(LAYER_ROLES, ['base', 'runtime', 'service']);
    assert.equal(layerEpoch('base', 0, 1700000000), 0);
    assert.equal(layerEpoch('runtime', 0, 1700000000), 0);
    assert.equal(layerEpoch('service', 0, 1700000000), 1700000000);
  });
});
