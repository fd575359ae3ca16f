import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainPushFailure } from './publish';

describe('explainPushFailure', () => {
  it('turns registry refusals into the fix', () => {
    assert.match(explainPushFailure('unauthorized: authentication required'), /EDGESHIP_REGISTRY_USER/);
    assert.match(explainPushFailure('denied: requested access to the resource is denied'), /access denied/);
    assert.match(explainPushFailure('unsupported: The operation is unsupported.'), /read-only/);
    assert.equal(explainPushFailure('something else'), '');
  });

  it('reads status codes as whole numbers, not digits inside a registry port', () => {
    const refusal = 'writing blob to 127.0.0.1:40181/repo: method not allowed (405)';
    assert.match(explainPushFailure(refusal), /read-only/);
    assert.match(
      explainPushFailure('reading manifest: received unexpected HTTP status: 401 Unauthorized'),
      /USER/,
    );
  });
});
